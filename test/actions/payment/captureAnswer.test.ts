import { captureOnce, OTHER_PAYMENT_TOKEN as OTHER, PAYMENT_TOKEN } from '../../helpers/captures';
import { captureRequests, useTestbed } from '../../helpers/testbed';

const THIRD = '0b6a2f4e-2d7e-4c55-9d0e-3f1c2a9b7e11';

const ENVELOPE_NOT_PRE_AUTHORIZED = {
	timestamp: '2024-01-16T19:57:10.751+0000',
	status: 422,
	error: 'Unprocessable Entity',
	message: "The payment token was not pre-authorized, so it can't be captured.",
	path: `/token/${PAYMENT_TOKEN}/capture`,
	errors: [{ code: '00.04.0010', description: "The payment token was not pre-authorized, so it can't be captured." }],
};

/*
 * Letpay's capture is asynchronous: a 200 says PROCESSING (accepted), or what the payment's
 * status is. The node reads what the answer says, not only its HTTP status: a 200 is a capture
 * only when its transaction_status says so.
 */
describe('a 200 answer is read by its transaction_status', () => {
	const testbed = useTestbed();
	const answer200 = (body: Record<string, unknown>, captured = false) =>
		({ kind: 'answer', status: 200, body, captured }) as const;

	test.each(['PROCESSING', 'PAID'])('%s: captured, the status in the output', async (transactionStatus) => {
		const { captured, error } = await captureOnce(
			testbed,
			answer200({ transaction_status: transactionStatus, payment_token: PAYMENT_TOKEN }, true),
		);

		expect(error).toBeUndefined();
		expect(captured).toMatchObject({ success: true, paymentToken: PAYMENT_TOKEN, transactionStatus });
	});

	test.each(['DECLINED', 'CANCELED'])('%s: an error item, nothing captured, never worth resending', async (transactionStatus) => {
		const { captured, error } = await captureOnce(
			testbed,
			answer200({ transaction_status: transactionStatus, payment_token: PAYMENT_TOKEN }),
		);

		expect(captured).toBeUndefined();
		expect(error).toMatchObject({
			message: `Letpay answered that the capture was not made (transaction status ${transactionStatus})`,
			httpCode: '200',
			outcome: 'not_captured',
			retryAdvice: 'never',
			attempts: 1,
		});
		expect(captureRequests(testbed.emulator)).toHaveLength(1);
	});

	// Only a 3xx or 5xx makes every code unknown; a 2xx envelope must not say "not pre-authorized"
	// and "may or may not have happened" at once.
	test("Letpay's error envelope in a 200 answer is that error: here 00.04.0010, not pre-authorized", async () => {
		const { captured, error } = await captureOnce(testbed, answer200(ENVELOPE_NOT_PRE_AUTHORIZED));

		expect(captured).toBeUndefined();
		expect(error).toMatchObject({
			message: 'This payment was not pre-authorized, so it cannot be captured',
			letpayCodes: ['00.04.0010'],
			outcome: 'not_captured',
			retryAdvice: 'never',
		});
		expect(error?.description).toContain("The payment token was not pre-authorized, so it can't be captured.");
	});

	test.each([
		['{}', {}, 'no transaction status'],
		['a status nobody documented', { transaction_status: 'SOMETHING_NEW', payment_token: PAYMENT_TOKEN }, 'transaction status SOMETHING_NEW'],
	])('%s: the outcome is unknown, check before resending', async (_what, body, seen) => {
		const { captured, error } = await captureOnce(testbed, answer200(body, true));

		expect(captured).toBeUndefined();
		expect(error).toMatchObject({
			message: `Letpay's answer does not confirm the capture (${seen}), so its outcome is unknown`,
			httpCode: '200',
			outcome: 'unknown',
			retryAdvice: 'check_status_first',
			attempts: 1,
		});
		expect(captureRequests(testbed.emulator)).toHaveLength(1);
	});
});

describe('how capture answers are read', () => {
	const testbed = useTestbed();
	beforeEach(() => {
		for (const paymentToken of [PAYMENT_TOKEN, OTHER, THIRD]) testbed.emulator.preAuthorize({ paymentToken, amount: '20.00' });
	});

	/*
	 * A 2xx confirms only the payment it names. A PROCESSING for ANOTHER payment token (a proxy
	 * that mixes up answers) leaves this item "unknown": reporting it captured would mark the
	 * wrong order paid and leave this one to be captured again.
	 */
	test('a 200 PROCESSING for another payment token is not a success of this item', async () => {
		testbed.emulator.injectFault(PAYMENT_TOKEN, {
			kind: 'answer',
			status: 200,
			body: { transaction_status: 'PROCESSING', payment_token: OTHER, refresh_token: 'x' },
			captured: true,
		});

		const { success, failed } = await testbed.run({ orders: [{ paymentToken: PAYMENT_TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

		expect(success).toEqual([]);
		expect(failed[0]?.json.error).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first' });
	});

	/*
	 * With Stop Workflow the error lists what happened to every item. A payment Letpay calls
	 * "already captured" (01.05.0003) is never listed as "not captured": a reader who trusts that
	 * line would capture it again.
	 */
	test('the stop error does not list an already captured payment as "not captured"', async () => {
		testbed.emulator.injectFault(PAYMENT_TOKEN, {
			kind: 'letpay-error',
			status: 422,
			code: '01.05.0003',
			message: 'Capture already performed or expired',
		});
		testbed.emulator.injectFault(OTHER, { kind: 'bad-gateway', captured: true });

		const { error } = await testbed.run({
			orders: [
				{ paymentToken: PAYMENT_TOKEN, amount: 10 },
				{ paymentToken: OTHER, amount: 10 },
				{ paymentToken: THIRD, amount: 10 },
			],
			parameters: { options: { concurrency: 3 } },
		});

		expect(error?.context?.itemResults).toMatchObject({ failed: [{ itemIndex: 0, outcome: 'already_captured_or_expired' }, { itemIndex: 1, outcome: 'unknown' }] });
		expect(error?.description).not.toMatch(/not captured: item 1\b/);
	});

	// An odd 2xx is never read as "not captured": it is "unknown" and is not resent.
	test.each([
		['lower-case status', 200, { transaction_status: 'processing' }],
		['status with a space', 200, { transaction_status: 'DECLINED ' }],
		['201 with no status', 201, { payment_token: PAYMENT_TOKEN }],
		['`errors: []` and no status', 200, { errors: [] }],
		['`errors` an object', 200, { errors: { code: '00.04.0010' } }],
	])('a 2xx with %s is "unknown"', async (_what, status, body) => {
		testbed.emulator.injectFault(PAYMENT_TOKEN, { kind: 'answer', status, body, captured: true });

		const { success, failed } = await testbed.run({ orders: [{ paymentToken: PAYMENT_TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

		expect(success).toEqual([]);
		expect(failed[0]?.json.error).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first', attempts: 1 });
	});
});
