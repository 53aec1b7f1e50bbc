import { captureRequests, ledger, useTestbed } from '../helpers/testbed';

const tokens = (count: number) =>
	Array.from({ length: count }, (_v, index) => `8f048623-16c6-47da-aca1-${String(index).padStart(12, '0')}`);

/*
 * Every Letpay answer except 401 carries `refresh_token`, "Updated access token for next calls",
 * and the node uses it for its next request. So when each refresh token is new and issuing one
 * revokes the older ones (emulator modes `rotate` and `newest-only`), captures still need one
 * sign-in per expiry (README promise 5), and none fails on a superseded token.
 */
describe('rotating refresh tokens when only the newest token is valid', () => {
	const testbed = useTestbed({ refreshTokenMode: 'rotate', accessTokens: 'newest-only' });

	test('ten captures one after another need one sign-in, not one per capture', async () => {
		const list = tokens(10);
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
		const list = tokens(30);
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
