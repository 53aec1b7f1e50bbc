import type { IDataObject } from 'n8n-workflow';

import { accountKey, issuedFor } from '../../nodes/Letpay/transport/accessTokens';
import { freshPaymentToken } from '../helpers/captures';
import { ledger, useTestbed } from '../helpers/testbed';
import { LETPAY_TOOL_TYPE } from '../helpers/testNodes';
import type { Fault } from '../letpayEmulator';

/*
 * Review attack: Letpay rotating + newest-only, so the node's requests take turns one per token. One
 * request in its turn meets a fault (hang, endless trickle, slow answer, reset), or the sign-in
 * is slow/hangs/fails, while the others wait for its token. Items have a 1000 ms timeout.
 * Checked: the run ends in bounded time (no item waits for ever), every item has one output,
 * nothing is captured twice, success/not_captured agree with Letpay's ledger.
 */
type Setup = { name: string; capture?: Fault; captureTimes?: number; auth?: Fault; authTimes?: number; concurrency: number; items: number; operation?: 'capture' | 'get' };

const SETUPS: Setup[] = [
	{ name: 'in-turn capture hangs (captured)', capture: { kind: 'hang', captured: true }, concurrency: 10, items: 20 },
	{ name: 'in-turn capture trickles for ever (captured)', capture: { kind: 'trickle', intervalMs: 20, endless: true, captured: true }, concurrency: 10, items: 20 },
	{ name: 'in-turn capture answered after 1500 ms', capture: { kind: 'latency', ms: 1_500 }, concurrency: 10, items: 20 },
	{ name: 'in-turn capture reset after capture', capture: { kind: 'reset-after-capture' }, concurrency: 10, items: 20 },
	{ name: 'in-turn capture: HTML 500 page (token lost)', capture: { kind: 'html', status: 500, captured: true }, concurrency: 10, items: 20 },
	{ name: 'sign-in takes 3 s', auth: { kind: 'latency', ms: 3_000 }, concurrency: 10, items: 20 },
	{ name: 'sign-in hangs', auth: { kind: 'hang' }, concurrency: 10, items: 10 },
	{ name: 'sign-in 502 twice', auth: { kind: 'bad-gateway' }, authTimes: 2, concurrency: 10, items: 20 },
	{ name: 'concurrency 50, three hangs', capture: { kind: 'hang', captured: true }, captureTimes: 3, concurrency: 50, items: 60 },
	{ name: 'Get: in-turn lookup hangs', capture: { kind: 'hang' }, concurrency: 10, items: 20, operation: 'get' },
];

describe.each(SETUPS)('review: $name', (setup) => {
	const testbed = useTestbed({ refreshTokenMode: 'rotate', accessTokens: 'newest-only' });

	test('bounded run, one output per item, no double capture, truthful outcomes', async () => {
		const tokens = Array.from({ length: setup.items }, () => freshPaymentToken());
		for (const paymentToken of tokens) testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		// A few items into the run, so that the node already takes turns.
		const faulty = [5, 12, 30].slice(0, setup.captureTimes ?? 1).map((index) => tokens[index % tokens.length]);
		if (setup.capture) {
			for (const token of faulty) {
				if (setup.operation === 'get') testbed.emulator.injectLookupFault(token, setup.capture);
				else testbed.emulator.injectFault(token, setup.capture);
			}
		}
		if (setup.auth) testbed.emulator.injectAuthFault(setup.auth, setup.authTimes ?? 1);
		const started = Date.now();
		const parameters: IDataObject =
			setup.operation === 'get'
				? { resource: 'payment', operation: 'get', paymentToken: '={{ $json.paymentToken }}', options: { concurrency: setup.concurrency, timeout: 1_000, maxRetries: 0 } }
				: { options: { concurrency: setup.concurrency, timeout: 1_000 } };
		const result = await testbed.run({ orders: tokens.map((paymentToken) => ({ paymentToken, amount: 10 })), parameters, onError: 'continueErrorOutput' });
		const ms = Date.now() - started;
		const captured = ledger(testbed.emulator);
		const outcomes: Record<string, number> = {};
		const lies: string[] = [];
		for (const item of result.success) {
			outcomes.success = (outcomes.success ?? 0) + 1;
			if (setup.operation !== 'get' && captured[String(item.json.paymentToken)]?.length !== 1) lies.push(`success, ledger ${JSON.stringify(captured[String(item.json.paymentToken)])}`);
		}
		for (const item of result.failed) {
			const error = item.json.error as IDataObject;
			const key = `${error.outcome}: ${String(error.message).slice(0, 80)}`;
			outcomes[key] = (outcomes[key] ?? 0) + 1;
			if (error.outcome === 'not_captured' && (captured[String(item.json.paymentToken)]?.length ?? 0) > 0) lies.push(`not_captured but captured`);
		}
		const doubles = Object.values(captured).filter((list) => list.length > 1).length;

		expect(result.success.length + result.failed.length).toBe(setup.items);
		expect(doubles).toBe(0);
		expect(lies).toEqual([]);
		// Generous: every item at most a few timeouts, the sign-in's own 30 s limit aside.
		expect(ms).toBeLessThan(setup.auth?.kind === 'hang' ? 40_000 : 15_000);
	}, 90_000);
});

/*
 * Review attack: Letpay rotating + newest-only; in one n8n process, at the same time, a Capture run, a Get
 * run, a Get Many by Reference run and the AI-tool variant capturing, all on one account,
 * Concurrency 10, timeout 1000 ms. The store starts with a token whose signedInFor is valid for
 * another base URL (same key and secret). Checked: the foreign token is never sent, every item has
 * one output, no double capture, truthful outcomes; testbed.run checks outputs and logs for leaks.
 */
describe('review: capture, get, get-many-by-reference and the tool at once, taking turns', () => {
	const testbed = useTestbed({ refreshTokenMode: 'rotate', accessTokens: 'newest-only' });

	test('all settle, the foreign token never goes out', async () => {
		const foreign = 'foreign-account-token-0123456789';
		const stored = testbed.credentials.storedData('letpayApi');
		testbed.credentials.store('letpayApi', { ...stored, accessToken: foreign, signedInFor: issuedFor(foreign, accountKey('https://api.letpay.io', String(stored.apiKey), String(stored.apiSecret))) });

		const make = (count: number, prefix: string) =>
			Array.from({ length: count }, (_v, index) => {
				const paymentToken = freshPaymentToken();
				testbed.emulator.preAuthorize({ paymentToken, amount: '10.00', reference: `${prefix}-${index}` });
				return { paymentToken, amount: 10, reference: `${prefix}-${index}` };
			});
		const captures = make(30, 'cap');
		const gets = make(30, 'get');
		const refs = make(30, 'ref');
		const tools = make(10, 'tool');
		const options = { concurrency: 10, timeout: 1_000 };
		const started = Date.now();
		const [capture, get, byRef, tool] = await Promise.all([
			testbed.run({ orders: captures, parameters: { options }, onError: 'continueErrorOutput', workflowId: 'capture' }),
			testbed.run({ orders: gets, parameters: { operation: 'get', paymentToken: '={{ $json.paymentToken }}', options }, onError: 'continueErrorOutput', workflowId: 'get' }),
			testbed.run({ orders: refs, parameters: { operation: 'getManyByReference', reference: '={{ $json.reference }}', options }, onError: 'continueErrorOutput', workflowId: 'ref' }),
			testbed.run({ orders: tools, nodeType: LETPAY_TOOL_TYPE, parameters: { options }, onError: 'continueErrorOutput', workflowId: 'tool' }),
		]);
		const ms = Date.now() - started;
		const captured = ledger(testbed.emulator);
		const summarize = (run: typeof capture) => {
			const kinds: Record<string, number> = { success: run.success.length };
			for (const item of run.failed) {
				const error = item.json.error as IDataObject;
				const key = `${error.outcome}: ${String(error.message).slice(0, 70)}`;
				kinds[key] = (kinds[key] ?? 0) + 1;
			}
			return kinds;
		};
		const lies = [...capture.success, ...tool.success].filter((item) => captured[String(item.json.paymentToken)]?.length !== 1).length
			+ [...capture.failed, ...tool.failed].filter((item) => (item.json.error as IDataObject).outcome === 'not_captured' && captured[String(item.json.paymentToken)] !== undefined).length;
		const summary = {
			ms,
			authCalls: testbed.emulator.authCalls,
			foreignSent: testbed.emulator.requests.filter((request) => request.authToken === foreign).length,
			requests: testbed.emulator.requests.length,
			refused: testbed.emulator.requests.filter((request) => request.status === 401).length,
			outputs: [capture, get, byRef, tool].map((run) => run.success.length + run.failed.length),
			doubles: Object.values(captured).filter((list) => list.length > 1).length,
			lies,
			capture: summarize(capture),
			get: summarize(get),
			byRef: summarize(byRef),
			tool: summarize(tool),
		};
		expect(summary.foreignSent).toBe(0);
		expect(summary.outputs).toEqual([30, 30, 30, 10]);
		expect(summary.doubles).toBe(0);
		expect(summary.lies).toBe(0);
		expect(summary.authCalls).toBeLessThanOrEqual(3);
	}, 60_000);
});
