import { CREDENTIAL } from '../../scripts/lib/examples';
import type { CaseContext } from './cases';
import { expectEqual } from './assertions';

/*
 * A builder types 12.345 into Amount in fixed mode (no expression). Whatever the editor stores,
 * the run must refuse it, never capture 12.35: checked in real n8n 2.x and 1.x.
 */
const ID = 'letpayE2eFixed01';
const PAYMENT = 'fixed-amount-8001';

const WORKFLOW = {
	id: ID,
	name: 'Letpay e2e: amount typed in fixed mode',
	nodes: [
		{ id: 'e2e-fixed-1', name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'e2e-fixed-2',
			name: 'Capture 12.345',
			type: 'n8n-nodes-letpay.letpay',
			typeVersion: 1,
			position: [220, 0],
			parameters: { resource: 'payment', operation: 'capture', preAuthorizedPayment: PAYMENT, amount: 12.345, options: {} },
			credentials: { letpayApi: CREDENTIAL },
		},
	],
	connections: { 'Run now': { main: [[{ node: 'Capture 12.345', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
	pinData: {},
};

export async function fixedAmount({ n8n, emulator }: CaseContext) {
	emulator.reset();
	emulator.preAuthorize({ paymentToken: PAYMENT, amount: '20.00' });
	await n8n.importWorkflow(WORKFLOW);

	const { exitCode, run } = await n8n.execute(ID);

	expectEqual('execute exit code (the node stops the run)', exitCode, 1);
	expectEqual('error', run.data.resultData.error?.message, 'Invalid Amount in item 1: 12.345 must have at most two decimal places');
	expectEqual('requests to Letpay', emulator.requests.length, 0);
}
