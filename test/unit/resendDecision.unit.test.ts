import { explainFailure } from '../../nodes/Letpay/errors/explainFailure';
import { resendDelay, type LetpayRequest } from '../../nodes/Letpay/transport/letpayClient';
import type { Exchange } from '../../nodes/Letpay/transport/tokenSession';
import type { HttpFailure } from '../../nodes/Letpay/validation/letpayAnswer';
import { letpayErrorBody } from '../helpers/letpayEnvelopes';

const context = { timeoutMs: 30000, environment: 'Sandbox environment, https://api-sandbox.letpay.io' };
const capture: LetpayRequest = { method: 'POST', path: '/token/t/capture', jsonText: '{"amount":10.00}', timeoutMs: 30000, maxRetries: 2 };
const lookUp: LetpayRequest = { method: 'GET', path: '/transactionDetails/t', timeoutMs: 30000, maxRetries: 2 };

const network = (code: string): Exchange => ({ failure: { code, headers: {}, message: code }, sentToken: 'token-1' });
const answer = (status: number, body: unknown = '', headers: Record<string, string> = {}): Exchange => ({ answer: { status, body, headers, message: `HTTP ${status}` }, sentToken: 'token-1' });
const failureOf = (exchange: Exchange): HttpFailure => ('answer' in exchange ? exchange.answer : 'failure' in exchange ? exchange.failure : { headers: {}, message: '' });
const decide = (exchange: Exchange, request: LetpayRequest, resend = 1) => resendDelay(exchange, explainFailure(failureOf(exchange), context), request, resend);

/*
 * The one resend decision (letpayClient.ts, resendDelay), in its order: Max Retries; Letpay
 * certainly did not act; the request changes nothing; otherwise never. Letpay has no idempotency
 * key: a capture that may have reached it is never sent again.
 */
describe('the resend decision (unit)', () => {
	test.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])('a capture that never connected (%s) is resent, with a backoff', (code) => {
		const delay = decide(network(code), capture);
		expect(delay).toBeGreaterThanOrEqual(250);
		expect(delay).toBeLessThanOrEqual(500);
	});

	test('the backoff doubles with each resend (with jitter)', () => {
		const delay = decide(network('ECONNREFUSED'), { ...capture, maxRetries: 5 }, 3);
		expect(delay).toBeGreaterThanOrEqual(1000);
		expect(delay).toBeLessThanOrEqual(2000);
	});

	test('past Max Retries: never', () => {
		expect(decide(network('ECONNREFUSED'), capture, 3)).toBeUndefined();
		expect(decide(network('ECONNREFUSED'), { ...capture, maxRetries: 0 })).toBeUndefined();
	});

	test('a URL that does not parse is not resent: it will not pass', () => {
		expect(decide(network('ERR_INVALID_URL'), capture)).toBeUndefined();
	});

	test('a 429 without codes is resent after its Retry-After', () => {
		expect(decide(answer(429, '', { 'retry-after': '3' }), capture)).toBe(3000);
	});

	test('a 429 whose code says the capture may have run is never resent', () => {
		expect(decide(answer(429, letpayErrorBody(429, '01.05.0017', 'busy')), capture)).toBeUndefined();
	});

	test.each([
		['a 502', answer(502)],
		['a timeout', network('ETIMEDOUT')],
		['a reset', network('ECONNRESET')],
		['a redirect', answer(307)],
	])('a capture after %s may have run: never resent; a look-up after it is', (_what, exchange) => {
		expect(decide(exchange, capture)).toBeUndefined();
		expect(decide(exchange, lookUp)).toBeGreaterThan(0);
	});

	test('a refusal that will not pass (400) is resent by neither', () => {
		const refusal = answer(400, letpayErrorBody(400, '00.01.0044', 'two decimals'));
		expect(decide(refusal, capture)).toBeUndefined();
		expect(decide(refusal, lookUp)).toBeUndefined();
	});
});
