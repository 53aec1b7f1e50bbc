import { allOutputItems, outputItems, ran, type ExecuteRun, type N8nInstance } from '../../scripts/lib/n8nInstance';
import { sleep } from '../../scripts/lib/processes';
import { DEFAULT_API_KEY, type LetpayEmulator } from '../letpayEmulator';
import { capture, token } from '../letpayEmulator/emulatorClient';
import { expectEqual, expectNoSecrets, ledgerView } from './assertions';
import { HARMLESS_WEBHOOK_PROBE, preAuthorizeReferenceOrders, preAuthorizeScheduledOrders } from '../../scripts/lib/examples';
import { GET_WORKFLOW, GET_WORKFLOW_ID } from './workflows';
import { ownerCookie } from './executions';

export interface CaseContext {
	n8n: N8nInstance;
	emulator: LetpayEmulator;
}

const SCHEDULED_ID = 'letpaySchedule01';
const WEBHOOK_ID = 'letpayWebhook001';
const BY_REFERENCE_ID = 'letpayReference1';

/** The Capture node's default Verification Window: the examples set none. */
const DEFAULT_WINDOW_MS = 10_000;
/**
 * Look-ups of one verification in which every look-up fails at once: at 0, 0.5, 1.5, 3.5, 7.5
 * and 10 s (the pauses double, the last one is cut to the window), none of them repeated.
 */
const LOOKUPS_IN_A_FAILING_WINDOW = 6;

type Json = Record<string, unknown>;
interface CaptureError {
	letpayCodes: string[];
	outcome: string;
	retryAdvice: string;
	paymentToken?: string;
	verified?: Json;
}

interface ScheduledExpectation {
	/** [paymentToken, transactionStatus, amount, verified ? [checks, lastStatus] : null] */
	captured: unknown[][];
	/** [orderId, letpayCodes, outcome] */
	needsAttention: unknown[][];
	/** [paymentToken, transactionStatus, capturedAmount] */
	capturedAfterAll: unknown[][];
	/** orderId, or the paymentToken of a looked-up payment */
	needsAPerson: string[];
	ledger: Record<string, number[]>;
}

/** The demo orders without faults: three captures, two refusals (no outcome to look up). */
const PLAIN_RUN: ScheduledExpectation = {
	captured: [
		['demo-pay-1001', 'PROCESSING', 25, null],
		['demo-pay-1002', 'PROCESSING', 12.34, null],
		['demo-pay-1005', 'PROCESSING', 7.5, null],
	],
	needsAttention: [
		['1003', ['00.04.0010'], 'not_captured'],
		['1004', ['00.04.0011'], 'not_captured'],
	],
	capturedAfterAll: [],
	needsAPerson: ['1003', '1004'],
	ledger: { 'demo-pay-1001': [2500], 'demo-pay-1002': [1234], 'demo-pay-1005': [750] },
};

async function runScheduledAndCheck({ n8n, emulator }: CaseContext, expected: ScheduledExpectation): Promise<ExecuteRun> {
	const { exitCode, run } = await n8n.execute(SCHEDULED_ID);
	expectEqual('execute exit code', exitCode, 0);
	const captured = outputItems(run, 'Captured').map((item) => {
		const verified = item.json.verified as Json | undefined;
		return [item.json.paymentToken, item.json.transactionStatus, item.json.amount, verified ? [verified.checks, verified.lastStatus] : null];
	});
	expectEqual('success branch', captured, expected.captured);
	const failed = outputItems(run, 'Needs attention').map((item) => {
		const error = item.json.error as CaptureError;
		return [item.json.orderId, error.letpayCodes, error.outcome];
	});
	expectEqual('failure branch', failed, expected.needsAttention);
	const afterAll = outputItems(run, 'Captured after all').map((item) => [item.json.paymentToken, item.json.transactionStatus, item.json.capturedAmount]);
	expectEqual('"Captured after all" branch', afterAll, expected.capturedAfterAll);
	const person = allOutputItems(run, 'Needs a person').map((item) => String(item.json.orderId ?? item.json.paymentToken));
	expectEqual('"Needs a person" branch', person.sort(), expected.needsAPerson);
	expectEqual('"Look up payment" ran', ran(run, 'Look up payment'), expected.capturedAfterAll.length > 0);
	expectEqual('emulator ledger', ledgerView(emulator.allCaptures()), expected.ledger);
	// Not one capture sent twice, whatever its answer was.
	const captureRequests = emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/capture') && r.status !== 401);
	const sentTo = captureRequests.map((r) => r.path.split('/')[2]);
	expectEqual('one capture request per order', [...new Set(sentTo)].length, sentTo.length);
	return run;
}

/**
 * a. Schedule Trigger -> orders -> Letpay Capture (error output) -> Captured / Needs attention ->
 * (check status first) Letpay Get -> Captured after all / Needs a person, via `n8n execute`, with
 * the example as shipped (default Verification Window, 10 s). Three orders meet a 502:
 * - demo-pay-1002, captured by Letpay: the node's own look-up right after the 502 finds the
 *   capture, so the order ends on the success branch, marked `verified`;
 * - demo-pay-1001, captured by Letpay: its look-ups fail as well through the whole window (an
 *   outage), so the outcome stays unknown; the workflow's "Look up payment" then finds it
 *   PROCESSING: "Captured after all". One fault more than the window's look-ups is injected:
 *   "Look up payment" repeats a failed look-up (Max Retries 2), so the branch is reached however
 *   the window's look-ups fall (5 to 7). The alternative, Verification Window 0 on the Capture
 *   node, would test a workflow other than the example;
 * - demo-pay-1005, not captured: it stays PRE_AUTHORIZED through the window (unknown,
 *   check_status_first: a capture in flight can hide longer), and "Look up payment" sees it still
 *   pre-authorized: "Needs a person".
 * The two windows run side by side (Concurrency 5): the case waits about 10 s once.
 */
export async function scheduledCapture(context: CaseContext) {
	const { emulator } = context;
	emulator.reset();
	preAuthorizeScheduledOrders(emulator);
	emulator.injectFault('demo-pay-1002', { kind: 'bad-gateway', captured: true });
	emulator.injectFault('demo-pay-1001', { kind: 'bad-gateway', captured: true });
	emulator.injectLookupFault('demo-pay-1001', { kind: 'bad-gateway' }, LOOKUPS_IN_A_FAILING_WINDOW + 1);
	emulator.injectFault('demo-pay-1005', { kind: 'bad-gateway', captured: false });

	const run = await runScheduledAndCheck(context, {
		captured: [['demo-pay-1002', 'PROCESSING', 12.34, [1, 'PROCESSING']]],
		needsAttention: [
			['1001', ['00.03.0001'], 'unknown'],
			['1003', ['00.04.0010'], 'not_captured'],
			['1004', ['00.04.0011'], 'not_captured'],
			['1005', ['00.03.0001'], 'unknown'],
		],
		capturedAfterAll: [['demo-pay-1001', 'PROCESSING', 25]],
		needsAPerson: ['1003', '1004', 'demo-pay-1005'],
		ledger: { 'demo-pay-1001': [2500], 'demo-pay-1002': [1234] },
	});

	// The 502 resolved by verification: by a look-up, within the default window.
	const verified = outputItems(run, 'Captured').find((item) => item.json.paymentToken === 'demo-pay-1002')?.json.verified as Json;
	expectEqual('verified (demo-pay-1002)', { ...verified, after: typeof verified.after === 'string' && verified.after !== '' }, {
		by: 'look-up',
		// The item asked for the whole pre-authorized 12.34: the payment holds it, once.
		attribution: 'payment',
		after: true,
		checks: 1,
		windowMs: DEFAULT_WINDOW_MS,
		lastStatus: 'PROCESSING',
	});
	// The 502 the window could not settle: unknown, to be checked, with what the look-ups saw.
	const unknown = outputItems(run, 'Needs attention')[0].json.error as CaptureError;
	expectEqual('unknown outcome (demo-pay-1001)', [unknown.retryAdvice, unknown.verified?.windowMs, unknown.verified?.lastStatus], [
		'check_status_first',
		DEFAULT_WINDOW_MS,
		null,
	]);
	const lookups = emulator.requests.filter((r) => r.path === '/transactionDetails/demo-pay-1001').map((r) => r.status);
	expectEqual('look-ups of demo-pay-1001 (every fault used, then found)', lookups, [...Array<number>(LOOKUPS_IN_A_FAILING_WINDOW + 1).fill(502), 200]);
	const stillPreAuthorized = outputItems(run, 'Needs attention')[3].json.error as CaptureError;
	expectEqual('still pre-authorized after the window (demo-pay-1005)', [stillPreAuthorized.retryAdvice, stillPreAuthorized.verified?.lastStatus], [
		'check_status_first',
		'PRE_AUTHORIZED',
	]);
	const seen = allOutputItems(run, 'Needs a person').find((item) => item.json.paymentToken === 'demo-pay-1005')?.json.transactionStatus;
	expectEqual('"Look up payment" of demo-pay-1005', seen, 'PRE_AUTHORIZED');
}

/** d. Payment -> Get in a workflow of its own: a pre-authorized and a captured payment, and an unknown one. */
export async function getPayment({ n8n, emulator }: CaseContext) {
	emulator.reset();
	await n8n.importWorkflow(GET_WORKFLOW);
	const before = Date.now();
	emulator.preAuthorize({ paymentToken: 'get-pre-7001', amount: '40.00', reference: 'order-7001' });
	emulator.preAuthorize({ paymentToken: 'get-cap-7002', amount: '15.50', reference: 'order-7002', currency: 'USD' });
	const after = Date.now();
	const captured = await capture(emulator, await token(emulator), '{"amount":15.50}', 'get-cap-7002');
	expectEqual('capture of get-cap-7002 (set-up)', captured.status, 200);

	const { exitCode, run } = await n8n.execute(GET_WORKFLOW_ID);
	expectEqual('execute exit code', exitCode, 0);
	// Flat: every field a plain value, no nested group of Letpay's answer.
	const found = outputItems(run, 'Get payment');
	// Letpay writes `yyyy-MM-dd HH:mm:ss`; the node gives ISO 8601 in UTC. Pre-authorizations expire after 5 days.
	const fiveDays = 5 * 24 * 3_600_000;
	for (const item of found) {
		const expiresAt = String(item.json.expiresAt);
		const at = Date.parse(expiresAt);
		expectEqual(`expiresAt of ${String(item.json.paymentToken)} (${expiresAt})`, [
			/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(expiresAt),
			at >= Math.floor((before + fiveDays) / 1000) * 1000 && at <= after + fiveDays,
		], [true, true]);
	}
	const common = { cardNumber: '411111******1111', cardScheme: 'VISA', errorCode: null, errorDescription: null, refundedAmount: 0 };
	expectEqual('Get: flat items', found.map((item) => ({ ...item.json, expiresAt: 'checked' })), [
		{
			paymentToken: 'get-pre-7001',
			transactionStatus: 'PRE_AUTHORIZED',
			transactionId: 'tx-get-pre-',
			externalId: 'order-7001',
			orderAmount: 40,
			currency: 'BRL',
			capturedAmount: 0,
			expiresAt: 'checked',
			...common,
		},
		{
			paymentToken: 'get-cap-7002',
			transactionStatus: 'PROCESSING',
			transactionId: 'tx-get-cap-',
			externalId: 'order-7002',
			orderAmount: 15.5,
			currency: 'USD',
			capturedAmount: 15.5,
			expiresAt: 'checked',
			...common,
		},
	]);
	expectEqual('Get: paired with their input items', found.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }]);
	const failed = outputItems(run, 'Get payment', 1).map((item) => {
		const error = item.json.error as CaptureError;
		return [item.json.paymentToken, error.letpayCodes, error.outcome, error.retryAdvice];
	});
	expectEqual('Get: an unknown payment on the error output', failed, [['get-none-7003', ['00.01.0038'], 'no_money_moved', 'after_fixing_input']]);
	expectEqual('Get changes nothing', ledgerView(emulator.allCaptures()), { 'get-cap-7002': [1550] });
}

/**
 * e. examples/payments-by-reference.json: order-5001 has two payments (a declined card, then a
 * captured one), order-5002 one, order-5003 none (Letpay: "Transaction not found").
 */
export async function paymentsByReference({ n8n, emulator }: CaseContext) {
	emulator.reset();
	preAuthorizeReferenceOrders(emulator);
	const captured = await capture(emulator, await token(emulator), '{"amount":80.00}', 'demo-ref-5001-b');
	expectEqual('capture of demo-ref-5001-b (set-up)', captured.status, 200);

	const { exitCode, run } = await n8n.execute(BY_REFERENCE_ID);
	expectEqual('execute exit code', exitCode, 0);
	const payments = outputItems(run, 'Payments of the order').map((item) => [
		item.json.reference,
		item.json.paymentToken,
		item.json.transactionStatus,
		item.json.amountReceived,
		item.pairedItem,
	]);
	expectEqual('one item per payment, none for an order without payments', payments, [
		['order-5001', 'demo-ref-5001-a', 'DECLINED', 0, { item: 0 }],
		['order-5001', 'demo-ref-5001-b', 'PROCESSING', 80, { item: 0 }],
		['order-5002', 'demo-ref-5002', 'PRE_AUTHORIZED', 0, { item: 1 }],
	]);
	const dates = outputItems(run, 'Payments of the order').flatMap((item) => [item.json.createdAt, item.json.expiresAt]);
	expectEqual('ISO 8601 dates', dates.every((date) => typeof date === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(date)), true);
	expectEqual('no failed look-up', outputItems(run, 'Payments of the order', 1), []);
	const summary = outputItems(run, 'Summary per order').map((item) => item.json);
	expectEqual('summary per order', summary, [
		{ reference: 'order-5001', count_paymentToken: 2, concatenated_transactionStatus: 'DECLINED, PROCESSING', sum_amountReceived: 80 },
		{ reference: 'order-5002', count_paymentToken: 1, concatenated_transactionStatus: 'PRE_AUTHORIZED', sum_amountReceived: 0 },
	]);
	// (401s left out: after the emulator's reset, the stored access token is refused once and renewed.)
	// The look-ups run concurrently: they may reach the emulator in any order.
	const lookups = emulator.requests.filter((r) => r.path.startsWith('/payment/reference/') && r.status !== 401);
	expectEqual('look-ups sent', lookups.map((r) => [r.path, r.status]).sort(), [
		['/payment/reference/order-5001', 200],
		['/payment/reference/order-5002', 200],
		['/payment/reference/order-5003', 404],
	]);
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
	const cookie = await ownerCookie(n8n.url);
	const nodeTypes = await (await fetch(`${n8n.url}/types/nodes.json`, { headers: { cookie } })).text();
	expectEqual('Letpay node in the editor node list', nodeTypes.includes('"name":"n8n-nodes-letpay.letpay"'), true);
	expectEqual('Letpay Trigger in the editor node list', nodeTypes.includes('"name":"n8n-nodes-letpay.letpayTrigger"'), true);

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

/**
 * b. Webhook -> Letpay -> Respond to Webhook, with `n8n start`; then the editor checks. Two orders
 * meet a 502 after Letpay captured: shop-order-2003 is settled by the node's look-up (200,
 * captured); for shop-order-2004 Letpay's look-ups fail through the whole default window too, so
 * the shop hears 202 "unknown"; shop-order-2005 was not captured and stays pre-authorized through
 * the window: 202 as well, "check first" (both sent first, so that their 10 s windows overlap).
 */
export async function webhookCapture({ n8n, emulator }: CaseContext) {
	emulator.reset();
	emulator.preAuthorize({ paymentToken: 'shop-order-2001', amount: '19.99' });
	emulator.preAuthorize({ paymentToken: 'shop-order-2003', amount: '30.00' });
	emulator.preAuthorize({ paymentToken: 'shop-order-2004', amount: '45.00' });
	// Letpay captures, then its gateway answers 502: the outcome is unknown until looked up.
	emulator.injectFault('shop-order-2003', { kind: 'bad-gateway', captured: true });
	emulator.injectFault('shop-order-2004', { kind: 'bad-gateway', captured: true });
	emulator.injectLookupFault('shop-order-2004', { kind: 'bad-gateway' }, LOOKUPS_IN_A_FAILING_WINDOW + 2);
	// The gateway fails before Letpay captured: the payment stays PRE_AUTHORIZED through the window.
	emulator.preAuthorize({ paymentToken: 'shop-order-2005', amount: '12.00' });
	emulator.injectFault('shop-order-2005', { kind: 'bad-gateway', captured: false });
	await n8n.activate(WEBHOOK_ID);
	await n8n.start();
	try {
		await n8n.waitForWebhook('letpay-capture', HARMLESS_WEBHOOK_PROBE);
		const unknownReply = postCapture(n8n, { paymentToken: 'shop-order-2004', amount: 45 });
		const notSeenReply = postCapture(n8n, { paymentToken: 'shop-order-2005', amount: 12 });
		const captured = await postCapture(n8n, { paymentToken: 'shop-order-2001', amount: 19.99 });
		const refused = await postCapture(n8n, { paymentToken: 'shop-order-2002', amount: 5 });
		const resent = await postCapture(n8n, { paymentToken: 'shop-order-2001', amount: 19.99 });
		const verified = await postCapture(n8n, { paymentToken: 'shop-order-2003', amount: 30 });
		const unknown = await unknownReply;
		const notSeen = await notSeenReply;

		expectEqual('captured reply', [captured.status, JSON.parse(captured.text)], [
			200,
			{ captured: true, paymentToken: 'shop-order-2001', transactionStatus: 'PROCESSING', amount: 19.99 },
		]);
		// The 502 behind which Letpay captured, settled by the node's look-up: the shop hears "captured".
		expectEqual('502 then verified reply', [verified.status, JSON.parse(verified.text)], [
			200,
			{ captured: true, paymentToken: 'shop-order-2003', transactionStatus: 'PROCESSING', amount: 30 },
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
		// Not captured as far as the window showed, but a capture may still be in flight: unknown, 202 too.
		expectEqual('still pre-authorized reply', reply(notSeen), [202, 'unknown', ['00.03.0001'], 'unknown', 'check_status_first']);
		const secrets = [DEFAULT_API_KEY.apiKey, DEFAULT_API_KEY.apiSecret, ...emulator.issuedAccessTokens];
		expectNoSecrets('webhook replies', [captured, refused, resent, verified, unknown, notSeen].map((answer) => answer.text).join('\n'), secrets);
		expectEqual('emulator ledger', ledgerView(emulator.allCaptures()), {
			'shop-order-2001': [1999],
			'shop-order-2003': [3000],
			'shop-order-2004': [4500],
		});
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
		await runScheduledAndCheck(context, PLAIN_RUN);
		await sleep(3000);
		emulator.forgetPayments();
		const authCallsBefore = emulator.authCalls;
		preAuthorizeScheduledOrders(emulator);

		await runScheduledAndCheck(context, PLAIN_RUN);

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
