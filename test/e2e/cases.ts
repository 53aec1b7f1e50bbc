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
	emulator.preAuthorize({ paymentToken: 'shop-order-2003', amount: '30.00' });
	// Letpay captures, then its gateway answers 502: the outcome is unknown to the node.
	emulator.injectFault('shop-order-2003', { kind: 'bad-gateway', captured: true });
	await n8n.activate(WEBHOOK_ID);
	await n8n.start();
	try {
		await n8n.waitForWebhook('letpay-capture', HARMLESS_WEBHOOK_PROBE);
		const captured = await postCapture(n8n, { paymentToken: 'shop-order-2001', amount: 19.99 });
		const refused = await postCapture(n8n, { paymentToken: 'shop-order-2002', amount: 5 });
		const resent = await postCapture(n8n, { paymentToken: 'shop-order-2001', amount: 19.99 });
		const unknown = await postCapture(n8n, { paymentToken: 'shop-order-2003', amount: 30 });

		expectEqual('captured reply', [captured.status, JSON.parse(captured.text)], [
			200,
			{ captured: true, paymentToken: 'shop-order-2001', transactionStatus: 'PROCESSING', amount: 19.99 },
		]);
		const reply = (answer: { status: number; text: string }) => {
			const body = JSON.parse(answer.text) as Record<string, unknown>;
			return [answer.status, body.captured, body.letpayCodes, body.outcome, body.retryAdvice];
		};
		expectEqual('refused reply', reply(refused), [422, false, ['00.04.0010'], 'not_captured', 'never']);
		// A shop that re-sends the webhook of a captured order is told "conflict", not "try again".
		expectEqual('re-sent webhook reply', reply(resent), [409, false, ['01.05.0003'], 'already_captured_or_expired', 'never']);
		// Shops re-send on 5xx, and every re-send would be a new capture attempt: 202, check the payment.
		expectEqual('unknown outcome reply', reply(unknown), [202, 'unknown', ['00.03.0001'], 'unknown', 'check_status_first']);
		const secrets = [DEFAULT_API_KEY.apiKey, DEFAULT_API_KEY.apiSecret, ...emulator.issuedAccessTokens];
		expectNoSecrets('webhook replies', [captured, refused, resent, unknown].map((answer) => answer.text).join('\n'), secrets);
		expectEqual('emulator ledger', ledgerView(emulator.allCaptures()), { 'shop-order-2001': [1999], 'shop-order-2003': [3000] });
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
		// `n8n execute` is a new process: what it sends first is the token stored by the first run.
		const storedToken = emulator.issuedAccessTokens[0];
		expectEqual('requests before the renewal are 401s with the stored token', [
			beforeAuth.length > 0,
			beforeAuth.every((r) => r.status === 401 && r.authToken === storedToken),
		], [true, true]);
	} finally {
		emulator.configure({ tokenTtlSeconds: 300 });
	}
}
