import { captureRequests, useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

const getParameters = { operation: 'get', preAuthorizedPayment: '={{ $json.paymentToken }}' };

/*
 * Look-ups read a 2xx by what it says, as captures do: a 2xx carrying Letpay's error envelope is
 * a failed look-up (no_money_moved, with its codes), never a payment whose fields are all null.
 * Check Before Capture (always on for AI tools) then never reads "no status" as "not
 * pre-authorized" and never advises against capturing a payment that awaits its capture.
 */
describe("a look-up answered 2xx with Letpay's error envelope", () => {
	const testbed = useTestbed();
	const envelope = (code: string, description: string) => ({
		kind: 'answer' as const,
		status: 200,
		body: { status: 200, message: description, errors: [{ code, description }] },
	});

	test('Get: the item is an error (no_money_moved) with the code, not a payment with every field null', async () => {
		testbed.emulator.injectLookupFault(TOKEN, envelope('00.01.0038', 'This transaction id paymentToken could not be found.'));

		const { success, failed } = await testbed.run({ orders: [{ paymentToken: TOKEN }], parameters: getParameters, onError: 'continueErrorOutput' });

		expect(success).toEqual([]);
		expect(failed[0].json.error).toMatchObject({ outcome: 'no_money_moved', letpayCodes: ['00.01.0038'] });
	});

	test('Check Before Capture: a look-up that only says "internal error, try later" does not advise never capturing', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		testbed.emulator.injectLookupFault(TOKEN, envelope('00.05.0001', 'Internal error, please try again later'));

		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], parameters: { options: { checkBeforeCapture: true } }, onError: 'continueErrorOutput' });

		expect(captureRequests(testbed.emulator)).toEqual([]);
		expect(failed[0].json.error).toMatchObject({ outcome: 'not_captured' });
		expect((failed[0].json.error as { retryAdvice: string }).retryAdvice).not.toBe('never');
	});
});
