import { captureRequests, ledger, useTestbed } from '../helpers/testbed';
import { freshPaymentToken } from '../helpers/captures';

/*
 * Letpay answers every call with `refresh_token`, "updated access token for next calls". When it
 * hands out a new token each time and keeps only the newest valid, a request refused with a plain
 * 401 was usually beaten by another request of the same process whose answer, still on its way,
 * carries the newer token. The node waits for that answer (at most 2 s, and at most half the
 * time the item has left) instead of signing in: a sign-in would revoke that newer token too.
 */
describe('a token refused while the answer carrying its successor is on its way', () => {
	const testbed = useTestbed({ refreshTokenMode: 'rotate', accessTokens: 'newest-only' });

	test('the refused capture waits for that answer and is resent with its refresh_token: one sign-in in all', async () => {
		const [first, second] = [freshPaymentToken(), freshPaymentToken()];
		testbed.emulator.preAuthorize({ paymentToken: first, amount: '10.00' });
		testbed.emulator.preAuthorize({ paymentToken: second, amount: '10.00' });
		// The first capture is decided at once (its token is then revoked for everyone), and its
		// answer trickles in over about 300 ms; the second arrives 50 ms later and is refused at once.
		testbed.emulator.injectFault(first, { kind: 'trickle', intervalMs: 3 });
		testbed.emulator.injectFault(second, { kind: 'latency', ms: 50 });

		const { success, failed } = await testbed.run({
			orders: [first, second].map((paymentToken) => ({ paymentToken, amount: 10 })),
			parameters: { options: { concurrency: 2 } },
			onError: 'continueErrorOutput',
		});

		expect(failed).toEqual([]);
		expect(success).toHaveLength(2);
		const [signInToken, firstsRefresh] = testbed.emulator.issuedAccessTokens;
		const seconds = captureRequests(testbed.emulator).filter((request) => request.path.includes(second));
		expect(seconds.map((request) => [request.status, request.authToken])).toEqual([
			[401, signInToken],
			[200, firstsRefresh],
		]);
		expect(testbed.emulator.authCalls).toBe(1);
		expect(ledger(testbed.emulator)).toEqual({ [first]: [1000], [second]: [1000] });
	});
});

/*
 * A refresh_token that cannot be a token (it could not travel in a header, or a server would
 * refuse the header with another status than 401, so it would never be dropped) is ignored: the
 * node goes on with the token it has. (Found by an adversarial review.)
 */
describe.each([
	['a newline', 'bad\ntoken'],
	['a euro sign', 'tok€n'],
	['100,000 characters', 'x'.repeat(100_000)],
	['an empty string', ''],
])('a refresh_token holding %s', (_label, refreshToken) => {
	const testbed = useTestbed();

	test('is not taken up: the next captures go out with the token the node had, every payment captured once', async () => {
		const [first, ...later] = [freshPaymentToken(), freshPaymentToken(), freshPaymentToken()];
		for (const paymentToken of [first, ...later]) testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		testbed.emulator.injectFault(first, { kind: 'answer', status: 200, captured: true, body: { transaction_status: 'PROCESSING', payment_token: first, refresh_token: refreshToken } });

		const { failed } = await testbed.run({
			orders: [first, ...later].map((paymentToken) => ({ paymentToken, amount: 10 })),
			parameters: { options: { concurrency: 1 } },
			onError: 'continueErrorOutput',
		});

		expect(failed).toEqual([]);
		expect(ledger(testbed.emulator)).toEqual(Object.fromEntries([first, ...later].map((paymentToken) => [paymentToken, [1000]])));
		expect(new Set(captureRequests(testbed.emulator).map((request) => request.authToken))).toEqual(new Set([testbed.emulator.issuedAccessTokens[0]]));
		expect(testbed.emulator.authCalls).toBe(1);
	});
});

/*
 * Every Letpay answer except 401 carries `refresh_token`, "Updated access token for next calls",
 * and the node uses it for its next request. So when each refresh token is new and issuing one
 * revokes the older ones (emulator modes `rotate` and `newest-only`), captures still need one
 * sign-in per expiry (README promise 5), and none fails on a superseded token.
 */
describe('rotating refresh tokens when only the newest token is valid', () => {
	const testbed = useTestbed({ refreshTokenMode: 'rotate', accessTokens: 'newest-only' });

	test('ten captures one after another need one sign-in, not one per capture', async () => {
		const list = Array.from({ length: 10 }, () => freshPaymentToken());
		for (const paymentToken of list) testbed.emulator.preAuthorize({ paymentToken, amount: '5.00' });

		const { success } = await testbed.run({
			orders: list.map((paymentToken) => ({ paymentToken, amount: 5 })),
			parameters: { options: { concurrency: 1 } },
			onError: 'continueErrorOutput',
		});

		expect(success).toHaveLength(10);
		expect(Object.keys(ledger(testbed.emulator))).toHaveLength(10);
		expect(captureRequests(testbed.emulator).filter((request) => request.status === 401)).toHaveLength(0);
		expect(testbed.emulator.authCalls).toBe(1);
	});

	test('thirty captures at concurrency 10 all succeed (a plain 401 for a superseded token is not a credential problem)', async () => {
		const list = Array.from({ length: 30 }, () => freshPaymentToken());
		for (const paymentToken of list) testbed.emulator.preAuthorize({ paymentToken, amount: '5.00' });

		const { success, failed } = await testbed.run({
			orders: list.map((paymentToken) => ({ paymentToken, amount: 5 })),
			parameters: { options: { concurrency: 10 } },
			onError: 'continueErrorOutput',
		});

		expect(failed.map((item) => (item.json.error as { message: string }).message)).toEqual([]);
		expect(success).toHaveLength(30);
		expect(testbed.emulator.authCalls).toBeLessThanOrEqual(1);
	});
});
