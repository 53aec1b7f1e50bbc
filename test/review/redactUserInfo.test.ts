import { describeEnvironment } from '../../nodes/Letpay/transport/environment';
import { redactUrl } from '../../nodes/Letpay/transport/origin';
import { useTestbed } from '../helpers/testbed';

const TOKEN = '8f048623-16c6-47da-aca1-546a16e8fb99';

/*
 * README: "User info in a base URL (`https://user:password@...`) is shown as `***@` in every
 * message." redactUrl stops at the first '@' (and at '/', '?', '#'), while URL parsing takes the
 * LAST '@' before the path as the end of the user info. Generated proxy passwords hold these
 * characters; a user who pastes one unencoded gets (part of) it printed in every error item.
 */
describe('review: user info in a custom base URL is never shown', () => {
	test.each([
		['an "@" in the password', 'https://proxy-user:s3cr@t-PASSWORD@letpay-proxy.example.com', 't-PASSWORD'],
		['a "/" in the password', 'https://proxy-user:s3cr/t-PASSWORD@letpay-proxy.example.com', 't-PASSWORD'],
		['a "#" in the password', 'https://proxy-user:s3cr#t-PASSWORD@letpay-proxy.example.com', 't-PASSWORD'],
	])('redactUrl with %s', (_what, url, secretPart) => {
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
