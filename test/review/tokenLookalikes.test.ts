import { captureRequests, useTestbed } from '../helpers/testbed';

const TOKEN = '8f048623-16c6-47da-aca1-546a16e8fb99';
const fullWidth = (text: string) => text.replace(/[0-9a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/*
 * Deduplication compares `token.toLowerCase()`, and validation refuses only / ? # % \ .., white
 * space and control characters. Look-alikes pass both: a zero-width space pasted with the token
 * (\u200B is not white space to \s), a full-width copy (what a MySQL *_unicode_ci column or an
 * NFKC-normalising gateway treats as the same token), a Unicode case variant JavaScript's
 * toLowerCase does not fold (U+017F "ſ" folds to "s" under Unicode case folding and Java's
 * equalsIgnoreCase). Each is sent as a second payment. Letpay tokens are UUIDs: anything outside
 * ASCII letters, digits and "-" can be refused before a request exists, which closes all of these.
 */
describe('review: look-alike payment tokens', () => {
	const testbed = useTestbed({ paymentTokenMatching: 'case-insensitive', repeatCaptures: 'allow' });
	beforeEach(() => testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' }));

	test.each([
		['with a zero-width space at its end', `${TOKEN}\u200B`],
		['with a zero-width no-break space inside', `${TOKEN.slice(0, 8)}\u2060${TOKEN.slice(8)}`],
		['in full-width letters and digits', fullWidth(TOKEN)],
		['with the Cyrillic "а" for the Latin "a"', TOKEN.replace('a', '\u0430')],
	])('the token %s is refused before anything is sent', async (_what, variant) => {
		const { failed } = await testbed.run({
			orders: [
				{ paymentToken: TOKEN, amount: 10 },
				{ paymentToken: variant, amount: 10 },
			],
			onError: 'continueErrorOutput',
		});

		expect(captureRequests(testbed.emulator)).toHaveLength(1);
		expect(failed[0]?.json.error).toMatchObject({ outcome: 'not_captured', retryAdvice: 'after_fixing_input', letpayCodes: [] });
	});

	test('tokens equal under Unicode case folding ("s" and "ſ") are one payment', async () => {
		const withS = 'capture-test-s-0001';
		await testbed.run({
			orders: [
				{ paymentToken: withS, amount: 10 },
				{ paymentToken: withS.replace('-s-', '-\u017f-'), amount: 10 },
			],
			onError: 'continueErrorOutput',
		});

		expect(captureRequests(testbed.emulator)).toHaveLength(1);
	});
});
