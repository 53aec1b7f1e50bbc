import { describeEnvironment } from '../../nodes/Letpay/transport/environment';
import { redactUrl } from '../../nodes/Letpay/transport/origin';
import { useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

/*
 * User info in a base URL (`https://user:password@...`) is shown as `***@` in every message, as
 * the README promises. Redaction works on the parsed URL, whose user info ends at the LAST '@'
 * before the host, so a proxy password holding '@', '/' or '#' never reaches a message, even in part.
 */
describe('user info in a custom base URL is never shown', () => {
	test.each([
		['an "@" in the password', 'https://proxy-user:s3cr@t-PASSWORD@letpay-proxy.example.com', 't-PASSWORD'],
		['a "/" in the password', 'https://proxy-user:s3cr/t-PASSWORD@letpay-proxy.example.com', 't-PASSWORD'],
		['a "#" in the password', 'https://proxy-user:s3cr#t-PASSWORD@letpay-proxy.example.com', 't-PASSWORD'],
	])('redactUrl and describeEnvironment hide a password with %s', (_what, url, secretPart) => {
		expect(redactUrl(url)).not.toContain(secretPart);
		expect(describeEnvironment({ label: 'Custom', baseUrl: url })).not.toContain(secretPart);
	});

	describe('through the engine, in the error item of a refused capture', () => {
		const testbed = useTestbed();

		test('an "@" in the proxy password does not reach the error item', async () => {
			const baseUrl = testbed.emulator.url.replace('://', '://proxy-user:s3cr@t-PASSWORD@');
			testbed.credentials.store('letpayApi', { ...testbed.credentials.storedData('letpayApi'), baseUrl });

			// Not pre-authorized: Letpay answers 422, and the description names the environment.
			const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

			expect(failed).toHaveLength(1);
			expect(JSON.stringify(failed[0].json)).not.toContain('t-PASSWORD');
		});

		test('a "/" in the proxy password does not reach the error item', async () => {
			const baseUrl = testbed.emulator.url.replace('://', '://proxy-user:s3cr/t-PASSWORD@');
			testbed.credentials.store('letpayApi', { ...testbed.credentials.storedData('letpayApi'), baseUrl });

			const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

			expect(failed).toHaveLength(1);
			expect(JSON.stringify(failed[0].json)).not.toContain('t-PASSWORD');
		});
	});
});
