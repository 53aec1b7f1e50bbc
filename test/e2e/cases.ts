import { outputItems, type N8nInstance } from '../../scripts/lib/n8nInstance';
import { sleep } from '../../scripts/lib/processes';
import { DEFAULT_API_KEY, type LetpayEmulator } from '../letpayEmulator';
import { expectEqual, expectNoSecrets, ledgerView } from './assertions';
import { HARMLESS_WEBHOOK_PROBE, preAuthorizeScheduledOrders } from '../../scripts/lib/examples';

export interface CaseContext {
	n8n: N8nInstance;
	emulator: LetpayEmulator;
}

const SCHEDULED_ID = 'letpaySchedule01';
const WEBHOOK_ID = 'letpayWebhook001';

async function runScheduledAndCheck({ n8n, emulator }: CaseContext) {
	const { exitCode, run } = await n8n.execute(SCHEDULED_ID);
	expectEqual('execute exit code', exitCode, 0);
	const captured = outputItems(run, 'Captured').map((item) => [item.json.paymentToken, item.json.transactionStatus, item.json.amount]);
	expectEqual('success branch', captured, [
		['demo-pay-1001', 'PROCESSING', 25],
		['demo-pay-1002', 'PROCESSING', 12.34],
		['demo-pay-1005', 'PROCESSING', 7.5],
	]);
	const failed = outputItems(run, 'Needs attention').map((item) => {
		const error = item.json.error as { letpayCodes: string[]; outcome: string };
		return [item.json.orderId, error.letpayCodes, error.outcome];
	});
	expectEqual('failure branch', failed, [
		['1003', ['00.04.0010'], 'not_captured'],
		['1004', ['00.04.0011'], 'not_captured'],
	]);
	expectEqual('emulator ledger', ledgerView(emulator.allCaptures()), {
		'demo-pay-1001': [2500],
		'demo-pay-1002': [1234],
		'demo-pay-1005': [750],
	});
}

/** a. Schedule Trigger -> orders -> Letpay (error output) -> Captured / Needs attention, via `n8n execute`. */
export async function scheduledCapture(context: CaseContext) {
	context.emulator.reset();
	preAuthorizeScheduledOrders(context.emulator);
	await runScheduledAndCheck(context);
}

async function postCapture(n8n: N8nInstance, body: object) {
	const response = await fetch(`${n8n.url}/webhook/letpay-capture`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, text: await response.text() };
}

/**
 * What a user sees in the editor: the node in the node list, and the credential's Test button
 * (n8n's REST API behind the editor, after the owner account is set up).
 */
async function checkEditor({ n8n, emulator }: CaseContext) {
	const setup = await fetch(`${n8n.url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ email: 'owner@example.com', firstName: 'Shop', lastName: 'Owner', password: 'Letpay-e2e-1' }),
	});
	const cookie = setup.headers.get('set-cookie')?.split(';')[0] ?? '';
	const nodeTypes = await (await fetch(`${n8n.url}/types/nodes.json`, { headers: { cookie } })).text();
	expectEqual('Letpay node in the editor node list', nodeTypes.includes('"name":"n8n-nodes-letpay.letpay"'), true);

	const testCredential = async (apiSecret: string) => {
		const data = { environment: 'custom', baseUrl: emulator.url, apiKey: DEFAULT_API_KEY.apiKey, apiSecret };
		const response = await fetch(`${n8n.url}/rest/credentials/test`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', cookie },
			body: JSON.stringify({ credentials: { id: 'letpayCred000001', name: 'Letpay API account', type: 'letpayApi', data } }),
		});
		return ((await response.json()) as { data: { status: string; message: string } }).data;
	};
	expectEqual('credential test, right secret', await testCredential(DEFAULT_API_KEY.apiSecret), {
		status: 'OK',
		message: 'Connection successful!',
	});
	expectEqual('credential test, wrong secret', await testCredential('not-the-secret'), {
		status: 'Error',
		message:
			`Letpay rejected the API key or API secret (Custom environment, ${emulator.url}). ` +
			'Check both values in the Letpay API credential, and that they were created for this environment.',
	});
}

/** b. Webhook -> Letpay -> Respond to Webhook, with `n8n start`; then the editor checks. */
export async function webhookCapture({ n8n, emulator }: CaseContext) {
	emulator.reset();
	emulator.preAuthorize({ paymentToken: 'shop-order-2001', amount: '19.99' });
	await n8n.activate(WEBHOOK_ID);
	await n8n.start();
	try {
		await n8n.waitForWebhook('letpay-capture', HARMLESS_WEBHOOK_PROBE);
		const captured = await postCapture(n8n, { paymentToken: 'shop-order-2001', amount: 19.99 });
		const refused = await postCapture(n8n, { paymentToken: 'shop-order-2002', amount: 5 });

		expectEqual('captured reply', [captured.status, JSON.parse(captured.text)], [
			200,
			{ captured: true, paymentToken: 'shop-order-2001', transactionStatus: 'PROCESSING', amount: 19.99 },
		]);
		const refusedBody = JSON.parse(refused.text) as Record<string, unknown>;
		expectEqual('refused reply', [refused.status, refusedBody.captured, refusedBody.letpayCodes, refusedBody.outcome], [
			422,
			false,
			['00.04.0010'],
			'not_captured',
		]);
		const secrets = [DEFAULT_API_KEY.apiKey, DEFAULT_API_KEY.apiSecret, ...emulator.issuedAccessTokens];
		expectNoSecrets('webhook replies', captured.text + refused.text, secrets);
		expectEqual('emulator ledger', ledgerView(emulator.allCaptures()), { 'shop-order-2001': [1999] });
		await checkEditor({ n8n, emulator });
	} finally {
		await n8n.stop();
	}
}

/** c. The stored access token expires between two runs: the second run re-authenticates by itself. */
export async function tokenExpiry(context: CaseContext) {
	const { emulator } = context;
	emulator.reset();
	emulator.configure({ tokenTtlSeconds: 2 });
	try {
		preAuthorizeScheduledOrders(emulator);
		await runScheduledAndCheck(context);
		await sleep(3000);
		emulator.forgetPayments();
		const authCallsBefore = emulator.authCalls;
		preAuthorizeScheduledOrders(emulator);

		await runScheduledAndCheck(context);

		// The node's captures run concurrently: the ones sent with the expired token all get a 401,
		// then ONE /auth renews it for all of them, and each is resent once.
		expectEqual('re-authentications in the second run', emulator.authCalls - authCallsBefore, 1);
		const firstAuth = emulator.requests.findIndex((r) => r.path === '/auth');
		const beforeAuth = emulator.requests.slice(0, firstAuth);
		expectEqual('requests before the renewal are 401s with the stored token', [
			beforeAuth.length > 0,
			beforeAuth.every((r) => r.status === 401),
		], [true, true]);
	} finally {
		emulator.configure({ tokenTtlSeconds: 300 });
	}
}
