import { captureRequests, useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

const fullWidth = (text: string) => text.replace(/[0-9a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/*
 * A payment token holds only ASCII letters, digits and "._~-" (Letpay's are UUIDs): anything
 * else is refused before a request exists. Look-alikes (a zero-width space, full-width
 * characters, a Cyrillic letter, the "ſ" that Unicode case folding equates with "s") would
 * otherwise pass deduplication and capture again a payment Letpay treats as the same.
 */
describe('look-alike payment tokens', () => {
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
