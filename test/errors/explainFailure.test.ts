import { explainFailure } from '../../nodes/Letpay/errors/explainFailure';
import type { HttpFailure } from '../../nodes/Letpay/transport/httpFailure';
import { documentedExamples, letpayErrorBody } from '../helpers/letpayEnvelopes';

const context = { timeoutMs: 30000, environment: 'Sandbox environment, https://api-sandbox.letpay.io' };

function httpFailure(status: number, body: unknown, headers: Record<string, string> = {}): HttpFailure {
	return { status, body: typeof body === 'string' ? body : JSON.stringify(body), headers, message: '' };
}

function networkFailure(code: string, message = `connect ${code}`): HttpFailure {
	return { code, headers: {}, message };
}

const CHECK_STATUS =
	"The capture may or may not have happened: check the payment's status in Letpay before trying again.";

describe('Letpay error catalogue: every documented code group', () => {
	test.each([
		// [what, status, code, message, outcome]
		['two decimals (capture page example)', 400, '00.01.0044', 'Letpay rejected the capture request as invalid', 'not_captured'],
		['amount must be > 0', 400, '00.01.0058', 'Letpay needs an amount greater than 0', 'not_captured'],
		['invalid payment token', 400, '00.01.0013', 'Letpay does not recognise this payment token', 'not_captured'],
		['payment token not found', 400, '00.01.0038', 'Letpay could not find a payment with this payment token', 'not_captured'],
		['access key not found', 400, '00.01.0012', 'Letpay did not accept the credentials: check the API key/secret and the environment', 'not_captured'],
		['unknown error', 400, '00.00.0000', 'Letpay reported an unknown error', 'unknown'],
		['upstream 00.02', 502, '00.02.0001', "Letpay could not complete the capture with the card acquirer, so its outcome is unknown", 'unknown'],
		['upstream 00.03 (capture page example)', 502, '00.03.0001', "Letpay could not complete the capture with the card acquirer, so its outcome is unknown", 'unknown'],
		['other merchant', 422, '00.04.0005', 'This payment belongs to another Letpay merchant account', 'not_captured'],
		['not pre-authorized (capture page example)', 422, '00.04.0010', 'This payment was not pre-authorized, so it cannot be captured', 'not_captured'],
		['above the pre-authorized amount', 422, '00.04.0011', 'The amount is higher than the pre-authorized amount still available', 'not_captured'],
		['status can not change', 422, '00.04.0012', "The payment's current status does not allow a capture", 'not_captured'],
		['firewall (other 00.04)', 422, '00.04.0019', 'Letpay refused the capture under its business rules', 'not_captured'],
		['Letpay internal', 500, '00.05.0001', 'Letpay had an internal error, so the outcome of the capture is unknown', 'unknown'],
		['provider unreachable', 422, '01.02.0001', 'Letpay could not reach the payment provider, so the outcome of the capture is unknown', 'unknown'],
		['already captured or reversed', 422, '01.05.0001', 'This payment was already captured, or its pre-authorization expired', 'not_captured'],
		['capture already performed or expired', 422, '01.05.0003', 'This payment was already captured, or its pre-authorization expired', 'not_captured'],
		['amount differs from the pre-authorization', 422, '01.05.0006', 'The amount differs from the pre-authorized amount, and the acquirer refuses partial captures', 'not_captured'],
		['already being processed', 422, '01.05.0017', 'This payment is already being processed by Letpay', 'unknown'],
		['acquirer declined (other 01.xx)', 422, '01.03.0001', 'The card acquirer declined the capture', 'not_captured'],
		['unknown code', 422, '42.42.4242', 'Letpay returned error 42.42.4242', 'not_captured'],
		['unknown code on a 5xx', 503, '42.42.4242', 'Letpay returned error 42.42.4242', 'unknown'],
	])('%s: HTTP %i %s', (_what, status, code, message, outcome) => {
		const report = explainFailure(httpFailure(status, letpayErrorBody(status, code, `Letpay says ${code}`)), context);
		expect(report).toMatchObject({ message, outcome, safeToRetry: outcome === 'not_captured', httpCode: String(status) });
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
		[200, 'OK', 'unknown', 'Letpay accepted the capture but its answer could not be read, so the outcome is unknown'],
	])('HTTP %i with body %p', (status, body, outcome, message) => {
		const report = explainFailure(httpFailure(status, body), context);
		expect(report).toMatchObject({ outcome, message });
		expect(report.description).toContain('Letpay answered without a JSON body');
	});

	test('429 keeps Retry-After and says nothing was captured', () => {
		const report = explainFailure(httpFailure(429, '', { 'retry-after': '3' }), context);
		expect(report).toMatchObject({ outcome: 'not_captured', safeToRetry: true, retryAfterSeconds: 3 });
	});
});

describe('network failures', () => {
	test.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'])(
		'%s: the request never reached Letpay, retrying is safe',
		(code) => {
			const report = explainFailure(networkFailure(code), context);
			expect(report).toMatchObject({
				message: `Could not connect to Letpay (${context.environment})`,
				outcome: 'not_captured',
				safeToRetry: true,
			});
			expect(report.description).toContain(code);
		},
	);

	test.each([
		['ECONNABORTED', 'timeout of 30000ms exceeded'],
		['ETIMEDOUT', 'timeout of 30000ms exceeded'],
	])('%s (timeout): the outcome is unknown', (code, message) => {
		const report = explainFailure(networkFailure(code, message), context);
		expect(report).toMatchObject({
			message: 'Letpay did not answer within 30 seconds, so the outcome of the capture is unknown',
			outcome: 'unknown',
			safeToRetry: false,
		});
	});

	test.each(['ECONNRESET', 'EPIPE'])('%s: the connection broke, the outcome is unknown', (code) => {
		const report = explainFailure(networkFailure(code, 'socket hang up'), context);
		expect(report).toMatchObject({
			message: 'The connection to Letpay broke before an answer arrived, so the outcome of the capture is unknown',
			outcome: 'unknown',
			safeToRetry: false,
		});
		expect(report.description).toBe(`Connection error ${code}. ${CHECK_STATUS}`);
	});
});
