import { readCaptureAnswer } from '../../nodes/Letpay/actions/payment/capture.operation';
import { OTHER_PAYMENT_TOKEN, PAYMENT_TOKEN } from '../helpers/captures';

const ENVIRONMENT = 'Sandbox environment, https://api-sandbox.letpay.io';
const read = (body: Record<string, unknown>) => readCaptureAnswer(body, PAYMENT_TOKEN, ENVIRONMENT);

/*
 * The capture's own 2xx answer, read without a look-up (the client has already read Letpay's
 * error envelope as the error it is). A claim rests on it alone, so only the documented spelling
 * of a status makes one; anything else leaves the outcome unknown, for verification to settle.
 */
describe('reading a capture answer (unit)', () => {
	test.each(['PROCESSING', 'PAID'])('%s for this payment: captured', (status) => {
		expect(read({ transaction_status: status, payment_token: PAYMENT_TOKEN })).toEqual({ captured: true, transactionStatus: status });
	});

	test('the payment token in another letter case names the same payment', () => {
		expect(read({ transaction_status: 'PROCESSING', payment_token: PAYMENT_TOKEN.toUpperCase() })).toMatchObject({ captured: true });
	});

	test.each(['DECLINED', 'CANCELED'])('%s: not captured, never worth resending', (status) => {
		expect(read({ transaction_status: status })).toMatchObject({ captured: false, report: { outcome: 'not_captured', retryAdvice: 'never' } });
	});

	test.each([
		['PROCESSING for another payment', { transaction_status: 'PROCESSING', payment_token: OTHER_PAYMENT_TOKEN }],
		['a status in another spelling', { transaction_status: 'processing' }],
		['a refusal in another spelling', { transaction_status: ' DECLINED' }],
		['no status', {}],
		['an undocumented errors object', { transaction_status: 'PROCESSING', errors: { code: '00.04.0010' } }],
	])('%s: unknown, check the status first', (_what, body) => {
		expect(read(body)).toMatchObject({ captured: false, report: { outcome: 'unknown', retryAdvice: 'check_status_first', httpCode: '200' } });
	});
});
