import { randomUUID } from 'node:crypto';

import { withoutTokenLikeValues } from '../../nodes/LetpayTrigger/notification';

/*
 * Promise 5: Include Notification Body never carries anything token-like (payment tokens, access
 * tokens, keys).
 */
const TOKEN = randomUUID();
const JWT = `eyJhbGciOiJIUzI1NiJ9.${'eyJzdWIiOiJtZXJjaGFudC0xIiwic2NvcGUiOiJwYXltZW50cyJ9'.repeat(4)}.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU`;

describe('the notification body kept for builders holds nothing token-like', () => {
	test.each([
		['a token inside a sentence', { message: `Payment ${TOKEN} was paid` }, TOKEN],
		['a token inside a URL', { links: { self: `https://api.letpay.io/transactionDetails/${TOKEN}` } }, TOKEN],
		['a token as a key', { payments: { [TOKEN]: { status: 'PAID' } } }, TOKEN],
		['a bearer access token', { headers_seen: `Bearer ${TOKEN}` }, TOKEN],
		['a long JWT-like access token (over 200 characters)', { session: JWT }, JWT],
		['an upper-case token split by a colon', { ref: `order-1:${TOKEN}` }, TOKEN],
	])('%s', (_what, body, secret) => {
		expect(JSON.stringify(withoutTokenLikeValues(body))).not.toContain(secret);
	});
});
