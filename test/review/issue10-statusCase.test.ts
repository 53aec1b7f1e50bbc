import { useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

/*
 * Statuses are read in any letter case and output in Letpay's documented spelling ('Processing'
 * is PROCESSING, 'paid' is PAID). A verified capture is then reported captured, not "unknown", and
 * builders who branch on `transactionStatus === 'PAID'` see what Letpay said.
 */
describe('transaction statuses in another letter case', () => {
	const testbed = useTestbed();
	const details = (status: string, amount: number) => ({
		kind: 'answer' as const,
		status: 200,
		body: { general_info: { transaction_status: status }, payment_info: { payment_amount: amount, order_amount: 10, order_currency: 'BRL' } },
	});

	test("verification: 'Processing' with exactly this amount is a verified capture", async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway', captured: true });
		testbed.emulator.injectLookupFault(TOKEN, details('Processing', 10));

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput', verification: 1000 });

		expect(success[0]?.json).toMatchObject({ success: true, transactionStatus: 'PROCESSING' });
	});

	test("Get: transactionStatus is Letpay's status in its documented spelling", async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		testbed.emulator.injectLookupFault(TOKEN, details('paid', 10));

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN }], parameters: { operation: 'get', preAuthorizedPayment: '={{ $json.paymentToken }}' } });

		expect(success[0].json.transactionStatus).toBe('PAID');
	});
});
