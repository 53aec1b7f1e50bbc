import { readFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_API_KEY, type LetpayEmulator } from '../../test/letpayEmulator';
import { N8nInstance } from './n8nInstance';
import { PROJECT_ROOT } from './pack';
import type { N8nRuntime } from './runtimes';

export const CREDENTIAL = { id: 'letpayCred000001', name: 'Letpay API account' };

interface WorkflowJson {
	id: string;
	nodes: Array<{ type: string; credentials?: Record<string, { id: string; name: string }> }>;
}

/** An example as shipped in examples/, with the credential picked as a user would in the editor. */
export function exampleWithCredential(file: string, credential = CREDENTIAL): WorkflowJson {
	const workflow = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'examples', file), 'utf8')) as WorkflowJson;
	for (const node of workflow.nodes) {
		if (node.type.startsWith('n8n-nodes-letpay.')) node.credentials = { letpayApi: credential };
	}
	return workflow;
}

/** A webhook call the example refuses before contacting Letpay (the amount must be > 0). */
export const HARMLESS_WEBHOOK_PROBE = { paymentToken: 'registration-probe', amount: 0 };

export const EXAMPLES = {
	scheduled: 'scheduled-capture.json',
	webhook: 'webhook-capture.json',
	byReference: 'payments-by-reference.json',
	settled: 'capture-settled.json',
};

/** The production URL of examples/capture-settled.json's trigger (its webhookId, and the trigger's path). */
export const SETTLED_WEBHOOK_PATH = '3b9d6f0e-5a1c-4e27-9d84-6c2f1a7e0b53/webhook';

export interface LetpayAccount {
	baseUrl: string;
	apiKey: string;
	apiSecret: string;
}

/** A fresh n8n user folder with the packed package installed, the credential and the examples imported. */
export async function prepareN8n(runtime: N8nRuntime, tarball: string, account: LetpayAccount, port?: number) {
	const n8n = await N8nInstance.create(runtime, { port });
	await n8n.installPackage(tarball);
	await importCredentialAndExamples(n8n, account);
	return n8n;
}

/** The demo credential (pointing at `account`) and every example, as a user imports them. */
export async function importCredentialAndExamples(n8n: N8nInstance, account: LetpayAccount) {
	await n8n.importCredentials([
		{
			...CREDENTIAL,
			type: 'letpayApi',
			data: { environment: 'custom', baseUrl: account.baseUrl, apiKey: account.apiKey, apiSecret: account.apiSecret, accessToken: '' },
		},
	]);
	await n8n.importWorkflows(Object.values(EXAMPLES).map((file) => exampleWithCredential(file)));
}

export function emulatorAccount(emulator: LetpayEmulator): LetpayAccount {
	return { baseUrl: emulator.url, apiKey: DEFAULT_API_KEY.apiKey, apiSecret: DEFAULT_API_KEY.apiSecret };
}

/** The demo orders of examples/scheduled-capture.json, as the emulator pre-authorizes them. */
export function preAuthorizeScheduledOrders(emulator: LetpayEmulator) {
	emulator.preAuthorize({ paymentToken: 'demo-pay-1001', amount: '25.00' });
	emulator.preAuthorize({ paymentToken: 'demo-pay-1002', amount: '12.34' });
	// demo-pay-1003 is never pre-authorized.
	emulator.preAuthorize({ paymentToken: 'demo-pay-1004', amount: '50.00' }); // the order asks 99.99
	emulator.preAuthorize({ paymentToken: 'demo-pay-1005', amount: '10.00' }); // partial capture of 7.50
}

/**
 * The orders of examples/payments-by-reference.json: order-5001 has two payments (a first card
 * declined, a second pre-authorized), order-5002 one, order-5003 none.
 */
export function preAuthorizeReferenceOrders(emulator: LetpayEmulator) {
	emulator.preAuthorize({ paymentToken: 'demo-ref-5001-a', amount: '80.00', reference: 'order-5001', status: 'DECLINED' });
	emulator.preAuthorize({ paymentToken: 'demo-ref-5001-b', amount: '80.00', reference: 'order-5001' });
	emulator.preAuthorize({ paymentToken: 'demo-ref-5002', amount: '19.90', reference: 'order-5002' });
}
