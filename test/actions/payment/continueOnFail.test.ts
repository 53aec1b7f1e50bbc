import { ledger, useTestbed } from '../../helpers/testbed';

const GOOD_1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const NOT_PRE_AUTHORIZED = 'aaaaaaaa-0000-4000-8000-000000000002';
const GOOD_2 = 'aaaaaaaa-0000-4000-8000-000000000003';
const TOO_MUCH = 'aaaaaaaa-0000-4000-8000-000000000004';

const orders = [
	{ orderId: 'o-1', paymentToken: GOOD_1, amount: 10 },
	{ orderId: 'o-2', paymentToken: NOT_PRE_AUTHORIZED, amount: 10 },
	{ orderId: 'o-3', paymentToken: GOOD_2, amount: '7.25' },
	{ orderId: 'o-4', paymentToken: TOO_MUCH, amount: 99 },
	{ orderId: 'o-5', paymentToken: 'abc/../auth', amount: 1 },
];

describe('On Error: Continue — every input item ends as exactly one output item', () => {
	const testbed = useTestbed();
	beforeEach(() => {
		for (const token of [GOOD_1, GOOD_2, TOO_MUCH]) {
			testbed.emulator.preAuthorize({ paymentToken: token, amount: '10.00' });
		}
	});

	test('"Continue (using error output)" sends failures to the error branch with their details', async () => {
		const { success, failed, error } = await testbed.run({ orders, onError: 'continueErrorOutput' });

		expect(error).toBeUndefined();
		expect(success.map((item) => [item.json.paymentToken, item.pairedItem])).toEqual([
			[GOOD_1, { item: 0 }],
			[GOOD_2, { item: 2 }],
		]);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 3 }, { item: 4 }]);
		// n8n puts the input item's fields beside the error, so the branch knows which order failed.
		expect(failed.map((item) => item.json.orderId)).toEqual(['o-2', 'o-4', 'o-5']);
		expect(failed[0].json.error).toEqual({
			message: 'This payment was not pre-authorized, so it cannot be captured',
			description: expect.stringContaining("The payment token was not pre-authorized, so it can't be captured."),
			httpCode: '422',
			outcome: 'not_captured',
			retryAdvice: 'never',
			letpayCodes: ['00.04.0010'],
			letpay: {
				status: 422,
				codes: ['00.04.0010'],
				errors: [{ code: '00.04.0010', description: "The payment token was not pre-authorized, so it can't be captured." }],
				message: "The payment token was not pre-authorized, so it can't be captured.",
				timestamp: expect.stringMatching(/Z$/),
			},
			attempts: 1,
			paymentToken: NOT_PRE_AUTHORIZED,
			amount: 10,
		});
		expect(failed[1].json.error).toMatchObject({ letpayCodes: ['00.04.0011'], httpCode: '422' });
		expect(failed[2].json.error).toMatchObject({
			message: expect.stringMatching(/^Invalid Payment Token in item 5: "abc\/..\/auth" contains characters/),
			httpCode: null,
		});
		expect(ledger(testbed.emulator)).toEqual({ [GOOD_1]: [1000], [GOOD_2]: [725] });
	});

	test('"Continue (regular output)" keeps one item per input, in order, errors in json.error', async () => {
		const { success } = await testbed.run({ orders, onError: 'continueRegularOutput' });

		expect(success).toHaveLength(orders.length);
		expect(success.map((item) => item.pairedItem)).toEqual(orders.map((_order, item) => ({ item })));
		expect(success.map((item) => (item.json.error ? 'error' : item.json.transactionStatus))).toEqual([
			'PROCESSING',
			'error',
			'PROCESSING',
			'error',
			'error',
		]);
	});
});
