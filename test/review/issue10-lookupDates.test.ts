import { useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

/*
 * Look-up dates (expiresAt, createdAt) are ISO 8601 or null, as the README promises: Letpay's
 * Java Timestamp form ('2026-11-29 10:00:00.0') is converted and an empty string becomes null,
 * so a workflow that parses them as ISO never meets an invalid date.
 */
describe('look-up dates are ISO 8601 or null', () => {
	const testbed = useTestbed();

	test("Get: '2026-11-29 10:00:00.0' becomes 2026-11-29T10:00:00.000Z and '' becomes null", async () => {
		testbed.emulator.injectLookupFault(TOKEN, {
			kind: 'answer',
			status: 200,
			body: { general_info: { transaction_status: 'PRE_AUTHORIZED' }, payment_info: { order_amount: 10, expiration_date: '2026-11-29 10:00:00.0' } },
		});
		testbed.emulator.injectLookupFault('order-1', {
			kind: 'answer',
			status: 200,
			body: { payments: [{ paymentToken: TOKEN, reference: 'order-1', transactionStatus: 'PRE_AUTHORIZED', createdAt: '', expirationDate: '2026-11-29 10:00:00.0' }] },
		});

		const get = await testbed.run({ orders: [{ paymentToken: TOKEN }], parameters: { operation: 'get', preAuthorizedPayment: '={{ $json.paymentToken }}' } });
		const many = await testbed.run({ orders: [{ reference: 'order-1' }], parameters: { operation: 'getManyByReference', reference: '={{ $json.reference }}' } });

		expect(get.success[0].json.expiresAt).toBe('2026-11-29T10:00:00.000Z');
		expect(many.success[0].json).toMatchObject({ expiresAt: '2026-11-29T10:00:00.000Z', createdAt: null });
	});
});
