import { captureRequests, ledger, useExpiringTestbed } from '../helpers/testbed';

/*
 * Letpay renews a token with each answer ("refresh_token: updated access token for next calls").
 * An answer decided before the token expired can arrive after another request was refused with
 * that very token: the node must not take the refused token up again (it would only be refused
 * once more, and one more resend is one more chance for things to go wrong).
 */
const SLOW = 'revive-slow-pay';
const REFUSED = 'revive-refused-pay';

describe('a refused token is not brought back by a late answer', () => {
	const testbed = useExpiringTestbed({ refreshTokenMode: 'same' });

	test('the slow 200 carrying the refused token arrives during the wait: the refused capture is resent once, with a new token', async () => {
		testbed.emulator.preAuthorize({ paymentToken: SLOW, amount: '10.00' });
		testbed.emulator.preAuthorize({ paymentToken: REFUSED, amount: '10.00' });
		// Decided on arrival (before the expiry), answered byte by byte over about 100 ms: it arrives
		// while the node waits before signing in again.
		testbed.emulator.injectFault(SLOW, { kind: 'trickle', intervalMs: 1 });
		testbed.expireAfterRequests(2); // /auth and the slow capture: the next request finds the token expired

		const { success, failed } = await testbed.run({
			orders: [{ paymentToken: SLOW, amount: 10 }, { paymentToken: REFUSED, amount: 10 }],
			onError: 'continueErrorOutput',
			parameters: { options: { concurrency: 2 } },
		});

		expect(failed).toEqual([]);
		expect(success).toHaveLength(2);
		const refusedCapture = captureRequests(testbed.emulator).filter((request) => request.path.includes(REFUSED));
		expect(refusedCapture.map((request) => request.status)).toEqual([401, 200]);
		expect(refusedCapture[1].authToken).not.toBe(refusedCapture[0].authToken);
		expect(ledger(testbed.emulator)).toEqual({ [SLOW]: [1000], [REFUSED]: [1000] });
	});
});
