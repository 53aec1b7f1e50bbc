/*
 * Checks of what a builder's item holds, before any request exists.
 */

/** "a list", "an object", "a boolean": for messages about a value of the wrong kind. */
export function describeType(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

export type PaymentTokenCheck = { valid: true; token: string } | { valid: false; reason: string };

/*
 * Letpay tokens are UUID-like identifiers. Anything that could change the request's target once
 * placed in the URL path (a slash, '..', a query or fragment marker, a percent escape) or that is
 * plainly not an identifier (white space, control characters) is refused before a request exists.
 */
const FORBIDDEN = /[\s/?#%\\]|\p{Cc}/u;
const PLAIN = /^[A-Za-z0-9._~-]+$/;
const MAX_LENGTH = 200;

export function checkPaymentToken(value: unknown): PaymentTokenCheck {
	if (value === null || value === undefined) return { valid: false, reason: 'is missing' };
	if (typeof value !== 'string' && typeof value !== 'number') {
		return { valid: false, reason: `must be text, not ${describeType(value)}` };
	}
	const token = String(value).trim();
	if (token === '') return { valid: false, reason: 'is empty' };
	if (token.length > MAX_LENGTH) {
		return { valid: false, reason: `is ${token.length} characters long; Letpay tokens are far shorter` };
	}
	// A lone "." is a path segment that URL resolution removes: POST /token/capture.
	if (token === '.') return { valid: false, reason: 'is a lone dot, which would change the request path' };
	if (FORBIDDEN.test(token) || token.includes('..')) {
		return {
			valid: false,
			reason: 'contains characters a Letpay payment token never has (/, ?, #, %, \\, .. or white space)',
		};
	}
	// Look-alike letters (Cyrillic, full-width, the long s) and invisible characters would make two
	// spellings of one payment pass the duplicate check: only plain ASCII names a payment.
	if (!PLAIN.test(token)) {
		return { valid: false, reason: 'contains a character other than the ASCII letters, digits and - _ . ~ that payment tokens are made of' };
	}
	return { valid: true, token };
}

/**
 * What names a payment: its token in lower case. Payment tokens are UUIDs, so tokens that differ
 * only in letter case name the same payment (the token is sent as given).
 */
export const paymentKey = (paymentToken: string): string => paymentToken.toLowerCase();
