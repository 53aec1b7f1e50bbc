import { captureOnce, PAYMENT_TOKEN } from '../../helpers/captures';
import { captureRequests, useTestbed } from '../../helpers/testbed';

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
