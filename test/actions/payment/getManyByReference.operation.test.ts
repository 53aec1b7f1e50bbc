import { requestsTo, useTestbed } from '../../helpers/testbed';
import { OTHER_PAYMENT_TOKEN as OTHER, PAYMENT_TOKEN as TOKEN } from '../../helpers/captures';

const byReferenceParameters = { operation: 'getManyByReference', reference: '={{ $json.reference }}' };

/*
 * Payment → Get Many by Reference (GET /payment/reference): Letpay's look-ups as flat items, one
 * per payment of the reference, paired with the input item that asked. Payment → Get is tested in
 * get.operation.test.ts.
 */
describe('Payment → Get Many by Reference', () => {
	const testbed = useTestbed();

	test('one item per payment of the reference, each paired with the input item that asked', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00', reference: 'order-7' });
		testbed.emulator.preAuthorize({ paymentToken: OTHER, amount: '5.00', reference: 'order-7', refundedAmount: '5.00' });
		testbed.emulator.preAuthorize({ paymentToken: 'third', amount: '1.00', reference: 'order-8' });

		const { success } = await testbed.run({
			orders: [{ reference: 'order-8' }, { reference: 'order-7' }],
			parameters: byReferenceParameters,
		});

		expect(success.map((item) => [item.pairedItem, item.json.paymentToken])).toEqual([
			[{ item: 0 }, 'third'],
			[{ item: 1 }, TOKEN],
			[{ item: 1 }, OTHER],
		]);
		expect(success[2].json).toMatchObject({
			reference: 'order-7',
			transactionStatus: 'PRE_AUTHORIZED',
			currency: 'BRL',
			amountReceived: 0,
			refundedAmount: 5,
			createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
		});
	});

	test('a reference without payments gives no item (as n8n "get many" operations do), not an error', async () => {
		const { success, failed, error } = await testbed.run({
			orders: [{ reference: 'no-such-order' }],
			parameters: byReferenceParameters,
			onError: 'continueErrorOutput',
		});

		expect([success, failed, error]).toEqual([[], [], undefined]);
	});

	test.each([
		['', 'is empty'],
		['x'.repeat(46), 'is 46 characters long; Letpay references have at most 45'],
		['..', 'cannot name an order (a dot path or a control character)'],
	])('reference %p is refused before anything is sent: it %s', async (reference, reason) => {
		const { failed } = await testbed.run({ orders: [{ reference }], parameters: byReferenceParameters, onError: 'continueErrorOutput' });

		expect((failed[0].json.error as { message: string }).message).toMatch(new RegExp(`^Invalid Reference in item 1: .* ${reason.replace(/[.()]/g, '\\$&')}$`));
		expect(testbed.emulator.requests).toEqual([]);
	});
});

/*
 * Look-up dates (expiresAt, createdAt) are ISO 8601 or null, as the README promises: Letpay's
 * Java Timestamp form ('2026-11-29 10:00:00.0') is converted and an empty string becomes null,
 * so a workflow that parses them as ISO never meets an invalid date. One test for both look-ups:
 * Get's expiresAt and Get Many by Reference's expiresAt and createdAt.
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
		const many = await testbed.run({ orders: [{ reference: 'order-1' }], parameters: byReferenceParameters });

		expect(get.success[0].json.expiresAt).toBe('2026-11-29T10:00:00.000Z');
		expect(many.success[0].json).toMatchObject({ expiresAt: '2026-11-29T10:00:00.000Z', createdAt: null });
	});
});

/*
 * A failed look-up sent no capture, so its message never speaks of a capture or of an unknown
 * outcome (Get: get.operation.test.ts).
 */
describe('a failed look-up does not speak of a capture', () => {
	const testbed = useTestbed();

	test('Get Many: a 200 whose payments is not a list says so, not that an outcome is unknown', async () => {
		testbed.emulator.injectLookupFault('order-1', { kind: 'answer', status: 200, body: { payments: 'none' } });

		const { failed } = await testbed.run({
			orders: [{ reference: 'order-1' }],
			parameters: byReferenceParameters,
			onError: 'continueErrorOutput',
		});

		const { message, description } = failed[0].json.error as { message: string; description: string };
		expect(message).not.toMatch(/outcome is unknown/);
		expect(description).not.toMatch(/without a JSON body/);
	});
});

/*
 * Max Retries is clamped to 0..10 whatever its value (an expression or an imported workflow
 * bypasses the editor's limit), so a 429 with Retry-After: 0 cannot make one item's look-ups
 * endless (Get: get.operation.test.ts).
 */
describe('look-up resends are bounded', () => {
	const testbed = useTestbed();

	test('Get Many by Reference: Max Retries 1000 still resends at most 10 times', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00', reference: 'order-1' });
		testbed.emulator.injectLookupFault('order-1', { kind: 'rate-limit', retryAfterSeconds: 0 }, 40);

		await testbed.run({ orders: [{ reference: 'order-1' }], parameters: { ...byReferenceParameters, options: { maxRetries: 1000 } }, onError: 'continueErrorOutput' });

		expect(requestsTo(testbed.emulator, '/payment/reference').length).toBeLessThanOrEqual(11);
	});
});
