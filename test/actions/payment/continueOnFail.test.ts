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

// Retry On Fail: three pre-authorized payments, and n8n's setting with two tries.
const RETRIED = ['8f048623-16c6-47da-aca1-000000000001', '8f048623-16c6-47da-aca1-000000000002', '8f048623-16c6-47da-aca1-000000000003'];
const retriedOrders = RETRIED.map((paymentToken) => ({ paymentToken, amount: 10 }));
const retry = { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 };

/*
 * n8n's node setting Retry On Fail re-runs the node for ALL its items after any failure (in the
 * same execution and node context). Letpay has no idempotency key, so that could send captured
 * payments again; and the node's own duplicate memory would then call every item "not sent".
 * The node therefore refuses to send anything while the setting is on, and says why.
 */
describe('Retry On Fail turned on for the node', () => {
	const testbed = useTestbed();
	beforeEach(() => {
		for (const paymentToken of RETRIED) testbed.emulator.preAuthorize({ paymentToken, amount: '20.00' });
	});

	test('continue (error output): nothing is sent, every item is an error item that says what to do', async () => {
		const { success, failed } = await testbed.run({ orders: retriedOrders, onError: 'continueErrorOutput', nodeSettings: retry });

		expect(ledger(testbed.emulator)).toEqual({});
		expect(testbed.emulator.requests).toEqual([]);
		expect(success).toEqual([]);
		expect(failed.map((item) => [item.pairedItem, item.json.error])).toEqual(
			[0, 1, 2].map((index) => [
				{ item: index },
				expect.objectContaining({
					message: "Turn off this node's Retry On Fail setting: nothing was sent to Letpay",
					outcome: 'not_captured',
					retryAdvice: 'after_fixing_input',
				}),
			]),
		);
	});

	test('stop workflow: the run stops before anything is sent, naming the setting', async () => {
		const { error } = await testbed.run({ orders: retriedOrders, nodeSettings: retry });

		expect(testbed.emulator.requests).toEqual([]);
		expect(error?.message).toBe("Turn off this node's Retry On Fail setting: nothing was sent to Letpay");
		expect(error?.description).toContain("set On Error to 'Continue (using error output)'");
	});
});
