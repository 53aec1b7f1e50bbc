import { ledger, useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

/*
 * Verification calls a capture verified only when the payment's captured total is its earlier
 * total plus this request's amount (Letpay's payment_amount is the payment's total). After an
 * earlier partial capture of the same amount, a capture that never happened stays "unknown",
 * never "captured".
 */
describe('verification after an earlier partial capture of the same amount', () => {
	const testbed = useTestbed({ repeatCaptures: 'allow' });

	test('a second partial capture of 5.00 that Letpay did NOT take is never reported as captured', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		// Yesterday: 5.00 captured (first shipment).
		await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 5 }] });
		// Today: 5.00 for the second shipment; the acquirer fails (502) and captures nothing.
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway', captured: false });

		const { success, failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 5 }], onError: 'continueErrorOutput', verification: 1000 });

		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [500] }); // only yesterday's capture
		expect(success).toEqual([]);
		expect(failed[0].json.error).toMatchObject({ outcome: 'unknown' });
	});
});
