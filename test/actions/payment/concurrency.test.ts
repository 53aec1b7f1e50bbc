import { ordersFor, paymentTokens, preAuthorizeAll } from '../../helpers/captures';
import { captureRequests, ledger, useExpiringTestbed } from '../../helpers/testbed';

describe('Concurrency option: bounded in-flight captures, input order kept', () => {
	// Only a merchant's newest access token is valid: a needless second sign-in would revoke
	// the token that the other captures in flight were just given.
	const testbed = useExpiringTestbed({ accessTokens: 'newest-only' });

	test.each([1, 3, 10])('concurrency %i: never more captures in flight, output in input order', async (concurrency) => {
		const tokens = paymentTokens(24, `c${concurrency}`);
		// Later items answer faster, so completion order differs from input order.
		preAuthorizeAll(testbed.emulator, tokens, (index) => 60 - index * 2);

		const { success } = await testbed.run({ orders: ordersFor(tokens), parameters: { options: { concurrency } } });

		expect(testbed.emulator.maxCapturesInFlight).toBe(concurrency);
		expect(success.map((item) => [item.json.paymentToken, item.pairedItem])).toEqual(
			tokens.map((paymentToken, item) => [paymentToken, { item }]),
		);
		expect(Object.values(ledger(testbed.emulator)).every((captures) => captures.length === 1)).toBe(true);
	});

	// An expression over a field the items lack gives NaN (Number(undefined)): the default applies,
	// and a finite value out of range is clamped, in every On Error mode (issue 18, defect 6).
	test.each([
		['={{ Number($json.parallel) }}', 'continueErrorOutput', 5],
		['={{ Number($json.parallel) }}', 'stopWorkflow', 5],
		['={{ 1 / 0 }}', 'continueErrorOutput', 5],
		['={{ 500 }}', 'continueErrorOutput', 12],
		['={{ -3 }}', 'stopWorkflow', 1],
	] as const)('concurrency %s (%s): every item is captured, at most %i at once', async (concurrency, onError, inFlight) => {
		const tokens = paymentTokens(12, `nan-${onError}`);
		preAuthorizeAll(testbed.emulator, tokens, () => 40);

		const { success, failed, error } = await testbed.run({ orders: ordersFor(tokens), onError, parameters: { options: { concurrency } } });

		expect(error).toBeUndefined();
		expect(failed).toEqual([]);
		expect(success.map((item) => [item.json.success, item.pairedItem])).toEqual(tokens.map((_token, item) => [true, { item }]));
		expect(testbed.emulator.maxCapturesInFlight).toBe(inFlight);
	});

	describe('one expiry, one sign-in', () => {
		// The emulator checks a token as a request arrives, and each answer renews it (refresh_token
		// "same"): expiring it while captures wait for their answers would reach none of them. So the
		// first test expires it between runs, the second with a clock that jumps mid-run.
		test('the stored token expired: ten captures sent at once all meet it, and ONE sign-in serves them all', async () => {
			const [warmUp, ...burst] = paymentTokens(11, 'burst');
			preAuthorizeAll(testbed.emulator, [warmUp, ...burst]);
			await testbed.run({ orders: ordersFor([warmUp]) });
			testbed.emulator.expireAccessTokens(); // five minutes pass
			const expiredAt = testbed.emulator.requests.length;

			const { success, error } = await testbed.run({ orders: ordersFor(burst), parameters: { options: { concurrency: 10 } } });

			expect(error).toBeUndefined();
			expect(success.map((item) => item.json.paymentToken)).toEqual(burst);
			const [expired, renewed, ...more] = testbed.emulator.issuedAccessTokens;
			expect(more).toEqual([]);
			const afterExpiry = testbed.emulator.requests.slice(expiredAt);
			expect(afterExpiry.filter((request) => request.path === '/auth')).toHaveLength(1);
			const captures = afterExpiry.filter((request) => request.path.endsWith('/capture'));
			const carried = (status: number) => captures.filter((request) => request.status === status).map((request) => request.authToken);
			expect(carried(401)).toEqual(burst.map(() => expired));
			expect(carried(200)).toEqual(burst.map(() => renewed));
			expect(captures).toHaveLength(20);
			expect(Object.values(ledger(testbed.emulator))).toEqual([warmUp, ...burst].map(() => [1000]));
		});

		test('the token expires mid-run with ten captures in flight: ONE sign-in, every capture goes through', async () => {
			const tokens = paymentTokens(40, 'expiry');
			// The first ten answer after 40 ms; those sent after them take 200 ms, so that the
			// captures sent once the clock has jumped meet the expired token.
			preAuthorizeAll(testbed.emulator, tokens, (index) => (index < 10 ? 40 : 200));
			testbed.expireAfterRequests(11); // /auth and the first ten captures

			const { success, error } = await testbed.run({ orders: ordersFor(tokens), parameters: { options: { concurrency: 10 } } });

			expect(error).toBeUndefined();
			expect(success).toHaveLength(40);
			// The first sign-in, and one renewal for however many captures met the expired token.
			const [first, ...renewals] = testbed.emulator.issuedAccessTokens;
			expect(renewals).toHaveLength(1);
			const refused = captureRequests(testbed.emulator).filter((request) => request.status === 401);
			expect(refused.length).toBeGreaterThanOrEqual(1);
			// Only the expired token was ever refused: no later sign-in revoked the renewed one.
			expect(refused.map((request) => request.authToken)).toEqual(refused.map(() => first));
			expect(Object.values(ledger(testbed.emulator))).toEqual(tokens.map(() => [1000]));
		});
	});

	/*
	 * How far a stopped run goes. pool.ts: a lane takes the next index only while stop() is false;
	 * router.ts: without continue-on-fail, stop() is true from the moment summary.finished records a
	 * failure. Captures in flight then finish; none is started afterwards. So the items sent are
	 * items 0..f (f: the failing item) plus one for every lane that freed while item f was in
	 * flight. With equal latencies that is at most c - 1 more (f + c - 1), but it depends on
	 * timing, not on c alone: a lane that frees twice while item f is slow starts two.
	 * This schedule frees no lane while item f is in flight: captures answer one at a time, STEP
	 * apart, and item f fails at once. So exactly items 0..f are sent; the c - 1 in flight with
	 * item f are captured; nothing after item f is ever sent.
	 */
	test('without continue on fail, no capture is started after the first failure; those in flight finish', async () => {
		const concurrency = 3;
		const failing = 6;
		const STEP = 150;
		const tokens = paymentTokens(20, 'stop');
		// Item i answers at (i + 1) * STEP: the first `concurrency` start together; each later one
		// starts when item i - concurrency answers and takes concurrency * STEP.
		testbed.emulator.injectFault(tokens[failing], { kind: 'bad-gateway' });
		preAuthorizeAll(testbed.emulator, tokens, (index) =>
			index === failing ? 0 : (Math.min(index, concurrency - 1) + 1) * STEP,
		);

		const { error } = await testbed.run({ orders: ordersFor(tokens), parameters: { options: { concurrency } } });

		expect(error?.message).toBe('Letpay could not complete the capture with the card acquirer, so its outcome is unknown');
		const sent = captureRequests(testbed.emulator).map((request) => request.path);
		expect(sent.sort()).toEqual(tokens.slice(0, failing + 1).map((token) => `/token/${token}/capture`));
		expect(Object.keys(ledger(testbed.emulator)).sort()).toEqual(tokens.slice(0, failing));
	});
});
