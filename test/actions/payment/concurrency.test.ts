import { captureRequests, ledger, useTestbed } from '../../helpers/testbed';

const tokens = (count: number, prefix: string) =>
	Array.from({ length: count }, (_value, index) => `${prefix}-${String(index).padStart(3, '0')}`);

describe('Concurrency option: bounded in-flight captures, input order kept', () => {
	let jumpAfterRequests = Infinity;
	const start = Date.parse('2026-11-24T06:00:00Z');
	// The clock jumps an hour once the emulator has answered that many requests.
	const testbed = useTestbed({
		now: () => start + (testbed.emulator.requests.length >= jumpAfterRequests ? 3_600_000 : 0),
	});
	beforeEach(() => {
		jumpAfterRequests = Infinity;
	});

	function preAuthorizeWithLatency(paymentTokens: string[], latencyOf: (index: number) => number) {
		paymentTokens.forEach((paymentToken, index) => {
			testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
			testbed.emulator.injectFault(paymentToken, { kind: 'latency', ms: latencyOf(index) });
		});
	}

	test.each([1, 3, 10])('concurrency %i: never more captures in flight, output in input order', async (concurrency) => {
		const paymentTokens = tokens(24, `c${concurrency}`);
		// Later items answer faster, so completion order differs from input order.
		preAuthorizeWithLatency(paymentTokens, (index) => 60 - index * 2);

		const { success } = await testbed.run({
			orders: paymentTokens.map((paymentToken) => ({ paymentToken, amount: 10 })),
			parameters: { options: { concurrency } },
		});

		expect(testbed.emulator.maxCapturesInFlight).toBe(concurrency);
		expect(success.map((item) => [item.json.paymentToken, item.pairedItem])).toEqual(
			paymentTokens.map((paymentToken, item) => [paymentToken, { item }]),
		);
		expect(Object.values(ledger(testbed.emulator)).every((captures) => captures.length === 1)).toBe(true);
	});

	test('a token that expires with 10 captures in flight is renewed with ONE /auth call', async () => {
		const paymentTokens = tokens(40, 'expiry');
		preAuthorizeWithLatency(paymentTokens, () => 40);
		jumpAfterRequests = 11; // /auth and the first ten captures; the ten sent next meet an expired token

		const { success, error } = await testbed.run({
			orders: paymentTokens.map((paymentToken) => ({ paymentToken, amount: 10 })),
			parameters: { options: { concurrency: 10 } },
		});

		expect(error).toBeUndefined();
		expect(success).toHaveLength(40);
		expect(captureRequests(testbed.emulator).filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
		// The first token (ten first requests asked at once), and one renewal.
		expect(testbed.emulator.authCalls).toBe(2);
		expect(Object.keys(ledger(testbed.emulator))).toHaveLength(40);
	});

	test('without continue on fail, the first failure stops new captures and fails the run', async () => {
		const paymentTokens = tokens(30, 'stop');
		testbed.emulator.injectFault(paymentTokens[4], { kind: 'bad-gateway' });
		preAuthorizeWithLatency(paymentTokens, () => 20);

		const { error } = await testbed.run({
			orders: paymentTokens.map((paymentToken) => ({ paymentToken, amount: 10 })),
			parameters: { options: { concurrency: 3 } },
		});

		expect(error?.message).toBe("Letpay could not complete the capture with the card acquirer, so its outcome is unknown");
		expect(captureRequests(testbed.emulator).length).toBeLessThan(30);
	});
});
