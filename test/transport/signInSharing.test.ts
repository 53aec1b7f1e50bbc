import { captureRequests, useTestbed } from '../helpers/testbed';
import { freshPaymentToken, ordersFor, paymentTokens, preAuthorizeAll } from '../helpers/captures';

/*
 * One sign-in for all the requests of an n8n process that need a token, made by one of them
 * while the others wait for it; and when it fails, it fails for all of them at once: a Letpay
 * whose /auth is down, or that refuses the key, is not asked once per waiting item.
 * (Found by an adversarial review of the rotating-token change.)
 */
describe('a sign-in is made once for all waiting requests', () => {
	const testbed = useTestbed({ refreshTokenMode: 'rotate', accessTokens: 'newest-only' });

	test.each([
		['down (502)', { kind: 'bad-gateway' } as const],
		['refusing the key (401)', { kind: 'answer', status: 401, body: { status: 401, error: 'Unauthorized', message: 'Access Denied', path: '/auth' } } as const],
	])('Letpay\'s sign-in %s: 50 items at Concurrency 50 make one /auth call and all fail, not captured', async (_label, fault) => {
		const batch = paymentTokens(50, `auth-down-${freshPaymentToken()}`);
		preAuthorizeAll(testbed.emulator, batch);
		testbed.emulator.injectAuthFault(fault, 1_000);

		const { success, failed } = await testbed.run({ orders: ordersFor(batch), onError: 'continueErrorOutput', parameters: { options: { concurrency: 50, maxRetries: 0 } } });

		expect(success).toEqual([]);
		expect(failed.map((item) => (item.json.error as { outcome: string }).outcome)).toEqual(batch.map(() => 'not_captured'));
		expect(testbed.emulator.authCalls).toBe(1);
		expect(captureRequests(testbed.emulator)).toEqual([]);
	});

	test('a request that used up its two sign-ins leaves no claim behind: the next run goes at once', async () => {
		const refused = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken: refused, amount: '10.00' });
		testbed.emulator.injectFault(refused, { kind: 'unauthorized' }, 10);
		const first = await testbed.run({ orders: [{ paymentToken: refused, amount: 10 }], onError: 'continueErrorOutput' });
		expect(first.failed).toHaveLength(1);

		const healthy = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken: healthy, amount: '10.00' });
		const started = Date.now();
		const second = await testbed.run({ orders: [{ paymentToken: healthy, amount: 10 }], onError: 'continueErrorOutput' });

		expect(second.success).toHaveLength(1);
		// Before the fix it waited for a sign-in nobody was making: 2 s, twice.
		const sentAfter = captureRequests(testbed.emulator).find((request) => request.path.includes(healthy))!.at - started;
		expect(sentAfter).toBeLessThan(1_000);
	});
});
