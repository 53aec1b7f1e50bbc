import type { IDataObject } from 'n8n-workflow';

import { ledger, useTestbed } from '../helpers/testbed';
import { freshPaymentToken } from '../helpers/captures';
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
