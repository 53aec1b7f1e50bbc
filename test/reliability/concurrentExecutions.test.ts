import { ledger, useExpiringTestbed, useTestbed } from '../helpers/testbed';
import { freshPaymentToken, ordersFor, paymentTokens, preAuthorizeAll } from '../helpers/captures';

/*
 * Concurrent executions with everything that makes them hard at once: token expiry, rotating
 * newest-only tokens, 429s and the resends they cause. Each payment is captured once, sign-ins
 * stay bounded, every item ends as one output item.
 */
describe('concurrent executions of one payment', () => {
	const testbed = useTestbed({ lookupLagMs: 2000, captureLatencyMs: 50 });

	test('Check Before Capture: 4 executions at once for one payment capture it once', async () => {
		const token = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken: token, amount: '10.00' });
		const runs = await Promise.all(
			Array.from({ length: 4 }, async () => await testbed.run({ orders: [{ paymentToken: token, amount: 10 }], parameters: { options: { checkBeforeCapture: true } }, onError: 'continueErrorOutput' })),
		);
		expect(testbed.emulator.allCaptures()).toHaveLength(1);
		expect(runs.flatMap((run) => run.success)).toHaveLength(1);
		expect(runs.flatMap((run) => run.failed).map((item) => (item.json.error as { outcome: string }).outcome)).toEqual(['handled_by_earlier_item', 'handled_by_earlier_item', 'handled_by_earlier_item']);
	});
});

describe('expiry mid-run, newest-only rotating tokens, 429s, 3 executions at once', () => {
	const testbed = useExpiringTestbed({ refreshTokenMode: 'rotate', accessTokens: 'newest-only', repeatCaptures: 'allow' });

	test('every payment captured exactly once, sign-ins bounded, every item one output', async () => {
		const sets = [0, 1, 2].map((set) => paymentTokens(20, `p${set}-${freshPaymentToken().slice(0, 8)}`));
		for (const tokens of sets) preAuthorizeAll(testbed.emulator, tokens);
		for (const tokens of sets) for (const token of tokens.filter((_t, i) => i % 4 === 0)) testbed.emulator.injectFault(token, { kind: 'rate-limit', retryAfterSeconds: 0 }, 2);
		testbed.expireAfterRequests(15);
		const runs = await Promise.all(sets.map(async (tokens) => await testbed.run({ orders: ordersFor(tokens), parameters: { options: { concurrency: 5, verificationWindow: 0 } }, onError: 'continueErrorOutput' })));
		const view = ledger(testbed.emulator);
		for (const tokens of sets) for (const token of tokens) expect([token, view[token] ?? []]).toEqual([token, [1000]]);
		runs.forEach((run) => {
			expect(run.failed).toEqual([]);
			expect(run.success.map((item) => item.pairedItem)).toEqual(Array.from({ length: 20 }, (_x, item) => ({ item })));
		});
		expect(testbed.emulator.requests.filter((r) => r.path === '/auth').length).toBeLessThanOrEqual(3);
	}, 60_000);
});
