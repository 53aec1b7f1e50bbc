import { checkPaymentToken } from '../../nodes/Letpay/validation/input';

describe('payment token rules', () => {
	test.each([
		['8f048623-16c6-47da-aca1-546a16e8fb99', '8f048623-16c6-47da-aca1-546a16e8fb99'],
		['  633de157-9a42-4d30-bbad-bd9fb883e058\n', '633de157-9a42-4d30-bbad-bd9fb883e058'],
		['tok_ABC.123', 'tok_ABC.123'],
		[12345, '12345'],
	])('accepts %p, trimmed', (input, token) => {
		expect(checkPaymentToken(input)).toEqual({ valid: true, token });
	});

	const neverAToken =
		'contains characters a Letpay payment token never has (/, ?, #, %, \\, .. or white space)';
	test.each([
		['', 'is empty'],
		['   ', 'is empty'],
		[null, 'is missing'],
		[undefined, 'is missing'],
		['abc/../auth', neverAToken],
		['abc/capture', neverAToken],
		['abc?x=1', neverAToken],
		['abc#frag', neverAToken],
		['abc def', neverAToken],
		['abc\ndef', neverAToken],
		['abc\u0000def', neverAToken],
		['abc\u007fdef', neverAToken],
		['abc\u0085def', neverAToken], // C1 control characters too
		['abc%2Fdef', neverAToken],
		['..', neverAToken],
		['.', 'is a lone dot, which would change the request path'], // POST /token/./capture is POST /token/capture
		[' . ', 'is a lone dot, which would change the request path'],
		['a\\b', neverAToken],
		[{ token: 'x' }, 'must be text, not an object'],
		[['x'], 'must be text, not a list'],
		['x'.repeat(10_000), 'is 10000 characters long; Letpay tokens are far shorter'],
	])('rejects %p: it %s', (input, reason) => {
		expect(checkPaymentToken(input)).toEqual({ valid: false, reason });
	});
});
