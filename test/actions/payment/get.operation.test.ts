import { captureRequests, useTestbed } from '../../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../../helpers/captures';

const OTHER = '633de157-9a42-4d30-bbad-bd9fb883e058';
const getParameters = { operation: 'get', preAuthorizedPayment: '={{ $json.paymentToken }}' };
const byReferenceParameters = { operation: 'getManyByReference', reference: '={{ $json.reference }}' };

/*
 * Payment → Get (GET /transactionDetails) and Get Many by Reference (GET /payment/reference):
 * Letpay's look-ups as flat items, one per payment, paired with the input item that asked.
 */
describe('Payment → Get', () => {
	const start = Date.parse('2026-11-24T10:00:00Z');
	const testbed = useTestbed({ now: () => start });

	test('one flat item per input item: status, amounts, card, dates in ISO 8601; nothing captured', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', reference: 'order-1' });
		testbed.emulator.preAuthorize({ paymentToken: OTHER, amount: '5.00', status: 'DECLINED' });

		const { success, failed } = await testbed.run({
			orders: [{ paymentToken: TOKEN }, { paymentToken: OTHER }],
			parameters: getParameters,
			onError: 'continueErrorOutput',
		});

		expect(failed).toEqual([]);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(success[0].json).toEqual({
			paymentToken: TOKEN,
			transactionStatus: 'PRE_AUTHORIZED',
			transactionId: 'tx-8f048623',
			externalId: 'order-1',
			orderAmount: 100,
			currency: 'BRL',
			capturedAmount: 0,
			refundedAmount: 0,
			cardNumber: '411111******1111',
			cardScheme: 'VISA',
			expiresAt: '2026-11-29T10:00:00.000Z',
			errorCode: null,
			errorDescription: null,
		});
		expect(success[1].json).toMatchObject({ transactionStatus: 'DECLINED', errorCode: '01.03.0001', errorDescription: 'Transaction declined' });
		expect(captureRequests(testbed.emulator)).toEqual([]);
	});

	test("Include Letpay Answer adds Letpay's answer, without its live access token", async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00' });

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN }], parameters: { ...getParameters, options: { includeRaw: true } } });

		expect(Object.keys(success[0].json.letpay as object)).toEqual(['general_info', 'payment_info', 'customer_info']);
	});

	test('an unknown payment: an error item that says so; a look-up never moves money', async () => {
		const { failed } = await testbed.run({ orders: [{ paymentToken: 'no-such-payment' }], parameters: getParameters, onError: 'continueErrorOutput' });

		expect(failed[0].json.error).toMatchObject({
			message: 'Letpay could not look up this payment: Letpay has no payment by that name',
			outcome: 'no_money_moved',
			retryAdvice: 'after_fixing_input',
			letpayCodes: ['00.01.0038'],
		});
	});

	test('a look-up is safe to repeat: a 502 and a reset are resent, with backoff', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00' });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'bad-gateway' });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'reset-before-read' });

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN }], parameters: getParameters });

		expect(success[0].json.transactionStatus).toBe('PRE_AUTHORIZED');
		expect(testbed.emulator.requests.filter((r) => r.path.startsWith('/transactionDetails')).map((r) => r.status)).toEqual([502, 'reset', 200]);
	});

	test('a look-up that keeps failing ends after Max Retries, advising to try later', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00' });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'bad-gateway' }, 5);

		const { failed } = await testbed.run({
			orders: [{ paymentToken: TOKEN }],
			parameters: { ...getParameters, options: { maxRetries: 1 } },
			onError: 'continueErrorOutput',
		});

		expect(failed[0].json.error).toMatchObject({ outcome: 'no_money_moved', retryAdvice: 'later', attempts: 2 });
	});

	test('the token rules of Capture apply: nothing is sent for a token that cannot name a payment', async () => {
		const { failed } = await testbed.run({ orders: [{ paymentToken: '../auth' }], parameters: getParameters, onError: 'continueErrorOutput' });

		expect((failed[0].json.error as { message: string }).message).toMatch(/^Invalid Payment Token in item 1: /);
		expect(testbed.emulator.requests).toEqual([]);
	});
});

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
