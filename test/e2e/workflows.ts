import { CREDENTIAL } from '../../scripts/lib/examples';

/*
 * Workflows the end-to-end suite imports besides the examples: what no example shows on its own.
 */
export const GET_WORKFLOW_ID = 'letpayE2eGet0001';

/** Manual Trigger -> three payment tokens -> Letpay Get (On Error: Continue (using error output)). */
export const GET_WORKFLOW = {
	id: GET_WORKFLOW_ID,
	name: 'Letpay e2e: get payments',
	nodes: [
		{ id: 'e2e-get-1', name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'e2e-get-2',
			name: 'Payments',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: {
				mode: 'raw',
				jsonOutput: JSON.stringify({ payments: [{ paymentToken: 'get-pre-7001' }, { paymentToken: 'get-cap-7002' }, { paymentToken: 'get-none-7003' }] }),
				options: {},
			},
		},
		{
			id: 'e2e-get-3',
			name: 'One item per payment',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [440, 0],
			parameters: { fieldToSplitOut: 'payments', options: {} },
		},
		{
			id: 'e2e-get-4',
			name: 'Get payment',
			type: 'n8n-nodes-letpay.letpay',
			typeVersion: 1,
			position: [660, 0],
			onError: 'continueErrorOutput',
			parameters: { resource: 'payment', operation: 'get', preAuthorizedPayment: '={{ $json.paymentToken }}', options: {} },
			credentials: { letpayApi: CREDENTIAL },
		},
	],
	connections: {
		'Run now': { main: [[{ node: 'Payments', type: 'main', index: 0 }]] },
		Payments: { main: [[{ node: 'One item per payment', type: 'main', index: 0 }]] },
		'One item per payment': { main: [[{ node: 'Get payment', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
	pinData: {},
};
