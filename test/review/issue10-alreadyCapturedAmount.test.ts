import { captureRequests, ledger, useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

/*
 * If Already Captured → Output as Captured outputs "already captured" as a success only when
 * Letpay holds exactly this amount captured. With 4.00 captured, a capture of 10.00 stays an
 * error item: a success would mark the order paid in full.
 */
describe('"already captured" with another amount captured', () => {
	const testbed = useTestbed();
	const output = { options: { ifAlreadyCaptured: 'output' } };

	beforeEach(async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		// An earlier run captured 4.00 only (a partial capture, or a corrected amount).
		await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 4 }] });
	});

	test('Letpay refuses with 01.05.0003 and shows 4.00 captured: a capture of 10.00 is not output as captured', async () => {
		const { success, failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], parameters: output, onError: 'continueErrorOutput' });

		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [400] });
		expect(success).toEqual([]);
		expect(failed[0].json.error).toMatchObject({ capturedAmount: 4 });
	});

	test('Check Before Capture after 4.00 was captured: a capture of 10.00 is not output as captured', async () => {
		const { success, failed } = await testbed.run({
			orders: [{ paymentToken: TOKEN, amount: 10 }],
			parameters: { options: { ifAlreadyCaptured: 'output', checkBeforeCapture: true } },
			onError: 'continueErrorOutput',
		});

		expect(captureRequests(testbed.emulator)).toHaveLength(1); // only the earlier run's
		expect(success).toEqual([]);
		// This process captured it moments ago: refused before any look-up.
		expect(failed[0].json.error).toMatchObject({ outcome: 'handled_by_earlier_item' });
	});
});
