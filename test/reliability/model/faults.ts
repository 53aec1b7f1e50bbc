import { QUOTED_AUTH_TOKEN, type Fault } from '../../letpayEmulator';

/*
 * The emulator's fault catalogue, by name, as the model draws it per request. `captured: true`
 * means Letpay took the money before the answer went wrong.
 */

/** Where redirects point: a path of Letpay (followed, it would show in the request log) and a closed port. */
export const REDIRECT_PATH = '/moved/capture';
export const SLOW_SIGN_IN_MS = 1500;
const CLOSED_PORT = 'http://127.0.0.1:9/token/moved/capture';

/** Letpay quoting the caller's access token back: the node must never pass it on. */
const quoting = (text: string) => `${text} (session ${QUOTED_AUTH_TOKEN})`;

/**
 * An object whose conversion to text throws (`{"toString": 1}`): JSON can carry it, and a node
 * that writes `${code}` or String(code) fails on it.
 */
const UNPRINTABLE = { toString: 1 };

/** JSON nested `depth` levels deep, as text: the emulator must not recurse through it either. */
function nested(depth: number): string {
	return `${'{"inner":'.repeat(depth)}{"end":true}${'}'.repeat(depth)}`;
}

const common = {
	latency: { kind: 'latency', ms: 40 },
	hang: { kind: 'hang' },
	'reset before read': { kind: 'reset-before-read' },
	'502': { kind: 'bad-gateway' },
	'503 HTML page': { kind: 'html', status: 503 },
	'429 Retry-After 0': { kind: 'rate-limit', retryAfterSeconds: 0 },
	'plain 401': { kind: 'unauthorized' },
} satisfies Record<string, Fault>;

export const CAPTURE_FAULTS: Record<string, Fault> = {
	...common,
	'hang after capturing': { kind: 'hang', captured: true },
	'reset after capturing': { kind: 'reset-after-capture' },
	'502 after capturing': { kind: 'bad-gateway', captured: true },
	'500 empty body after capturing': { kind: 'empty', status: 500, captured: true },
	'502 invalid JSON': { kind: 'invalid-json', status: 502 },
	'302 to a path of Letpay': { kind: 'redirect', status: 302, location: REDIRECT_PATH },
	'307 to a closed port after capturing': { kind: 'redirect', status: 307, location: CLOSED_PORT, captured: true },
	'302 to a URL quoting the token': { kind: 'redirect', status: 302, location: `https://login.invalid/next?session=${QUOTED_AUTH_TOKEN}` },
	'200 with the token as its status': { kind: 'answer', status: 200, body: { transaction_status: QUOTED_AUTH_TOKEN } },
	'trickled answer': { kind: 'trickle', intervalMs: 1 },
	'trickled past the timeout': { kind: 'trickle', intervalMs: 25 },
	'200 DECLINED': { kind: 'answer', status: 200, body: { transaction_status: 'DECLINED' } },
	'200 DECLINED quoting the token': {
		kind: 'answer',
		status: 200,
		body: { transaction_status: 'DECLINED', message: quoting('Card declined'), errors: [{ code: '01.03.0001', description: quoting('Declined by issuer') }] },
	},
	'200 with an unprintable code': { kind: 'answer', status: 200, body: { transaction_status: 'DECLINED', errors: [{ code: UNPRINTABLE, description: 'Declined' }] } },
	'200 UNDER_REVIEW after capturing': { kind: 'answer', status: 200, body: { transaction_status: 'UNDER_REVIEW' }, captured: true },
	'422 01.05.0006 quoting the token': { kind: 'letpay-error', status: 422, code: '01.05.0006', message: quoting('Amount is different from the approved pre-authorization.') },
	'422 01.05.0017 after capturing': { kind: 'letpay-error', status: 422, code: '01.05.0017', message: 'Transaction already being processed', captured: true },
	'400 with an odd code': { kind: 'letpay-error', status: 400, code: '99.99.9999', message: 'Something Letpay has never documented' },
	/** The token where no text is expected: as an error code and as the envelope's timestamp. */
	'422 with the token as its code and time': {
		kind: 'answer',
		status: 422,
		body: { status: 422, timestamp: QUOTED_AUTH_TOKEN, message: 'Unprocessable', errors: [{ code: QUOTED_AUTH_TOKEN, description: 'Refused' }] },
	},
};

export const LOOKUP_FAULTS: Record<string, Fault> = {
	...common,
	'200 nested 5,000 levels deep': { kind: 'answer', status: 200, body: `{"general_info":{"transaction_status":"PROCESSING"},"payment_info":${nested(5000)}}` },
	'200 DECLINED quoting the token': {
		kind: 'answer',
		status: 200,
		body: { general_info: { transaction_status: 'DECLINED' }, payment_info: { error_code: '01.03.0001', error_description: quoting('Declined') } },
	},
	'200 with an unprintable code': { kind: 'answer', status: 200, body: { general_info: { transaction_status: 'PRE_AUTHORIZED' }, errors: [{ code: UNPRINTABLE }] } },
	'400 quoting the token': { kind: 'letpay-error', status: 400, code: '00.01.0038', message: quoting('This transaction id could not be found.') },
	'200 with the token as its status': { kind: 'answer', status: 200, body: { general_info: { transaction_status: QUOTED_AUTH_TOKEN } } },
};

export const AUTH_FAULTS: Record<string, Fault> = {
	latency: common.latency,
	/** Slower than any item's timeout: the capture must then never go out (model: waited for after the run). */
	'slow sign-in': { kind: 'latency', ms: SLOW_SIGN_IN_MS },
	'502': common['502'],
	'429 Retry-After 0': common['429 Retry-After 0'],
	'reset before read': common['reset before read'],
};
