import { certainlyNotProcessed, explainFailure } from '../../nodes/Letpay/errors/explainFailure';
import type { HttpFailure } from '../../nodes/Letpay/validation/letpayAnswer';
import { documentedExamples, letpayErrorBody } from '../helpers/letpayEnvelopes';

const context = { timeoutMs: 30000, environment: 'Sandbox environment, https://api-sandbox.letpay.io' };

function httpFailure(status: number, body: unknown, headers: Record<string, string> = {}): HttpFailure {
	return { status, body: typeof body === 'string' ? body : JSON.stringify(body), headers, message: '' };
}

function networkFailure(code: string, message = `connect ${code}`): HttpFailure {
	return { code, headers: {}, message };
}

/**
 * The report, and whether Letpay certainly did not act on the request (`resendable`): the node
 * then sends a capture again by itself (letpayClient.ts, resendDelay, rule 2).
 */
function explainWithResend(failure: HttpFailure) {
	return { ...explainFailure(failure, context), resendable: certainlyNotProcessed(failure) };
}

const CHECK_STATUS =
	"The capture may or may not have happened: check the payment's status in Letpay before trying again.";

describe('Letpay error catalogue: every documented code group', () => {
	test.each([
		// [what, status, code, message, what happened to the money, what to do]
		['two decimals (capture page example)', 400, '00.01.0044', 'Letpay rejected the capture request as invalid', 'not_captured', 'after_fixing_input'],
		['amount must be > 0', 400, '00.01.0058', 'Letpay needs an amount greater than 0', 'not_captured', 'after_fixing_input'],
		['invalid payment token', 400, '00.01.0013', 'Letpay does not recognise this payment token', 'not_captured', 'after_fixing_input'],
		['payment token not found', 400, '00.01.0038', 'Letpay could not find a payment with this payment token', 'not_captured', 'after_fixing_input'],
		['access key not found', 400, '00.01.0012', 'Letpay did not accept the credentials: check the API key/secret and the environment', 'not_captured', 'after_fixing_input'],
		['unknown error', 400, '00.00.0000', 'Letpay reported an unknown error', 'unknown', 'check_status_first'],
		['upstream 00.02', 502, '00.02.0001', "Letpay could not complete the capture with the card acquirer, so its outcome is unknown", 'unknown', 'check_status_first'],
		['upstream 00.03 (capture page example)', 502, '00.03.0001', "Letpay could not complete the capture with the card acquirer, so its outcome is unknown", 'unknown', 'check_status_first'],
		['other merchant', 422, '00.04.0005', 'This payment belongs to another Letpay merchant account', 'not_captured', 'after_fixing_input'],
		['not pre-authorized (capture page example)', 422, '00.04.0010', 'This payment was not pre-authorized, so it cannot be captured', 'not_captured', 'never'],
		['above the pre-authorized amount', 422, '00.04.0011', 'The amount is higher than the pre-authorized amount still available', 'not_captured', 'after_fixing_input'],
		['status can not change', 422, '00.04.0012', "The payment's current status does not allow a capture", 'not_captured', 'never'],
		['firewall (other 00.04)', 422, '00.04.0019', 'Letpay refused the capture under its business rules', 'not_captured', 'never'],
		['Letpay internal', 500, '00.05.0001', 'Letpay had an internal error, so the outcome of the capture is unknown', 'unknown', 'check_status_first'],
		['provider unreachable', 422, '01.02.0001', 'Letpay could not reach the payment provider, so the outcome of the capture is unknown', 'unknown', 'check_status_first'],
		['already captured or reversed', 422, '01.05.0001', 'This payment was already captured, or its pre-authorization expired', 'already_captured_or_expired', 'never'],
		['capture already performed or expired', 422, '01.05.0003', 'This payment was already captured, or its pre-authorization expired', 'already_captured_or_expired', 'never'],
		['amount differs from the pre-authorization', 422, '01.05.0006', 'The amount differs from the pre-authorized amount, and the acquirer refuses partial captures', 'not_captured', 'after_fixing_input'],
		['already sent', 422, '01.04.0014', 'Letpay says this transaction was already sent, so the outcome of the capture is unknown', 'unknown', 'check_status_first'],
		['submit again', 422, '01.02.0002', 'The payment provider asks to submit the transaction again; whether it captured is unknown', 'unknown', 'check_status_first'],
		['already being processed', 422, '01.05.0017', 'This payment is already being processed by Letpay', 'unknown', 'check_status_first'],
		['acquirer declined (other 01.xx)', 422, '01.03.0001', 'The card acquirer declined the capture', 'not_captured', 'never'],
		['unknown code', 422, '42.42.4242', 'Letpay returned error 42.42.4242', 'not_captured', 'never'],
		['unknown code on a 5xx', 503, '42.42.4242', 'Letpay returned error 42.42.4242', 'unknown', 'check_status_first'],
	])('%s: HTTP %i %s', (_what, status, code, message, outcome, retryAdvice) => {
		const report = explainFailure(httpFailure(status, letpayErrorBody(status, code, `Letpay says ${code}`)), context);
		expect(report).toMatchObject({ message, outcome, retryAdvice, httpCode: String(status) });
		expect(report.letpay.codes).toEqual([code]);
		expect(report.description).toContain(`Letpay says ${code}.`);
		expect(report.description).toContain(`(HTTP ${status}, Letpay code ${code}, ${context.environment}).`);
		if (outcome === 'unknown') expect(report.description).toContain(CHECK_STATUS);
	});

	test("keeps Letpay's details, with the timestamp in ISO-8601, and never the refresh_token", () => {
		const report = explainFailure(httpFailure(422, documentedExamples.notPreAuthorized), context);
		expect(report.letpay).toEqual({
			status: 422,
			codes: ['00.04.0010'],
			errors: [{ code: '00.04.0010', description: "The payment token was not pre-authorized, so it can't be captured." }],
			message: "The payment token was not pre-authorized, so it can't be captured.",
			timestamp: '2024-01-16T19:57:10.751Z',
		});
		expect(JSON.stringify(report)).not.toContain('LIVE_ACCESS_TOKEN_MUST_NOT_LEAK');
	});

	test('several errors in one answer: all descriptions shown, the first known code decides', () => {
		const body = letpayErrorBody(422, '99.99.9999', 'first', {
			errors: [
				{ code: '99.99.9999', description: 'Something new' },
				{ code: '00.04.0011', description: 'Too much' },
			],
		});
		const report = explainFailure(httpFailure(422, body), context);
		expect(report.message).toBe('The amount is higher than the pre-authorized amount still available');
		expect(report.description).toMatch(/^Something new\. Too much\. /);
	});

	test('401 without errors (capture page example): check the credentials', () => {
		const report = explainFailure(httpFailure(401, documentedExamples.unauthorized), context);
		expect(report).toMatchObject({
			message: 'Letpay did not accept the credentials: check the API key/secret and the environment',
			outcome: 'not_captured',
			httpCode: '401',
		});
		expect(report.letpay).toMatchObject({ status: 401, codes: [], message: 'Access Denied' });
	});
});

describe('answers that are not Letpay envelopes', () => {
	test.each([
		[503, '<html><body>Service Unavailable</body></html>', 'unknown', 'Letpay answered with server error 503, so the outcome of the capture is unknown'],
		[500, '', 'unknown', 'Letpay answered with server error 500, so the outcome of the capture is unknown'],
		[502, '{"timestamp": "2024-01', 'unknown', 'Letpay answered with server error 502, so the outcome of the capture is unknown'],
		[404, '<html>Not Found</html>', 'not_captured', 'Letpay answered "not found": check the base URL of the Letpay API credential'],
		[200, 'OK', 'unknown', 'Letpay accepted the request but its answer could not be read, so the outcome is unknown'],
	])('HTTP %i with body %p', (status, body, outcome, message) => {
		const report = explainFailure(httpFailure(status, body), context);
		expect(report).toMatchObject({ outcome, message });
		expect(report.description).toContain('Letpay answered without a JSON body');
	});

	test('429 keeps Retry-After and says nothing was captured: the node may resend it', () => {
		const report = explainWithResend(httpFailure(429, '', { 'retry-after': '3' }));
		expect(report).toMatchObject({ outcome: 'not_captured', retryAdvice: 'later', retryAfterSeconds: 3, resendable: true });
	});

	test.each(['00.02.0001', '00.03.0001', '01.05.0017'])(
		'429 whose code %s says the capture may have run: unknown, never resent',
		(code) => {
			const report = explainWithResend(httpFailure(429, letpayErrorBody(429, code, 'busy'), { 'retry-after': '0' }));
			expect(report).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first', resendable: false });
		},
	);

	test.each([301, 302, 303, 307, 308])('a redirect (HTTP %i): the outcome is unknown, never resent, the location shown without user info', (status) => {
		const report = explainWithResend(httpFailure(status, '', { location: 'https://user:pw@elsewhere.example/x' }));
		expect(report).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first', resendable: false });
		expect(report.message).toBe(`Letpay answered with a redirect (HTTP ${status}), which this node never follows, so the outcome of the capture is unknown`);
		expect(report.description).toContain('It pointed to https://***@elsewhere.example/x.');
	});
});

describe('network failures', () => {
	// A route that fails under an open connection gives these too: the capture may have been sent.
	test.each(['EHOSTUNREACH', 'ENETUNREACH'])('%s: the connection may have carried the request, so the outcome is unknown', (code) => {
		expect(explainWithResend(networkFailure(code))).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first', resendable: false });
	});

	test.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])(
		'%s: the request never reached Letpay, retrying is safe',
		(code) => {
			const report = explainWithResend(networkFailure(code));
			expect(report).toMatchObject({
				message: `Could not connect to Letpay (${context.environment})`,
				outcome: 'not_captured',
				retryAdvice: 'later',
				resendable: true,
			});
			expect(report.description).toContain(code);
		},
	);

	test.each([
		['ECONNABORTED', 'timeout of 30000ms exceeded'],
		['ETIMEDOUT', 'timeout of 30000ms exceeded'],
	])('%s (timeout): the outcome is unknown', (code, message) => {
		const report = explainWithResend(networkFailure(code, message));
		expect(report).toMatchObject({
			message: 'Letpay did not answer within 30 seconds, so the outcome of the capture is unknown',
			outcome: 'unknown',
			retryAdvice: 'check_status_first',
			resendable: false,
		});
	});

	test.each(['ECONNRESET', 'EPIPE'])('%s: the connection broke, the outcome is unknown', (code) => {
		const report = explainWithResend(networkFailure(code, 'socket hang up'));
		expect(report).toMatchObject({
			message: 'The connection to Letpay broke before an answer arrived, so the outcome of the capture is unknown',
			outcome: 'unknown',
			retryAdvice: 'check_status_first',
			resendable: false,
		});
		expect(report.description).toBe(`Connection error ${code}. ${CHECK_STATUS}`);
	});
});
