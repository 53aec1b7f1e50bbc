import { freePort } from '../../scripts/lib/processes';
import { describeEnvironment } from '../../nodes/Letpay/transport/signIn';
import { redactUrl } from '../../nodes/Letpay/validation/letpayAnswer';
import { capturedLogs } from '../helpers/capturedLogs';
import type { OnError } from '../helpers/runWorkflow';
import { logsSince } from '../helpers/secrets';
import { firstError, PAYMENT_TOKEN } from '../helpers/captures';
import { storeAccessToken, useTestbed } from '../helpers/testbed';

const USER = 'proxy-user';
const PASSWORD = 'pw-5e1f9c';

/*
 * A Custom base URL may carry `user:password@` for a proxy. Error messages name the environment
 * and its URL so that a builder sees where the node went; the user info is shown as `***@`.
 */
describe('a Custom base URL with user:password@ never shows them in an error', () => {
	const testbed = useTestbed();
	let closedPort: number;
	beforeEach(async () => {
		closedPort = await freePort();
		testbed.credentials.store('letpayApi', {
			...testbed.credentials.storedData('letpayApi'),
			baseUrl: `http://${USER}:${PASSWORD}@127.0.0.1:${closedPort}`,
		});
	});

	const shownUrl = () => `http://***@127.0.0.1:${closedPort}`;

	async function failedCapture(onError: OnError) {
		const logStart = capturedLogs.length;
		const result = await testbed.run({
			orders: [{ paymentToken: PAYMENT_TOKEN, amount: 10 }],
			parameters: { options: { maxRetries: 0 } },
			onError,
		});
		const error = firstError(result);
		const everything = [JSON.stringify(result.run.data.resultData), String(result.error?.stack), logsSince(logStart)].join('\n');
		for (const text of [String(error?.message), String(error?.description), everything]) {
			expect(text).not.toContain(PASSWORD);
			expect(text).not.toContain(`${USER}:`);
		}
		return error;
	}

	describe.each<OnError>(['stopWorkflow', 'continueErrorOutput'])('On Error: %s', (onError) => {
		test('no stored token: the sign-in fails, its message shows ***@', async () => {
			const error = await failedCapture(onError);

			expect(error?.message).toBe(
				`Could not obtain a Letpay access token (Custom environment, ${shownUrl()}): the connection was refused`,
			);
		});

		test('a token stored earlier: the capture request fails, its message shows ***@', async () => {
			storeAccessToken(testbed, 'a-token-from-an-earlier-run');

			const error = await failedCapture(onError);

			expect(error?.message).toBe(`Could not connect to Letpay (Custom environment, ${shownUrl()})`);
		});
	});
});

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

		// Not pre-authorized: Letpay answers 422, and the description names the environment.
		test.each([
			['an "@"', 's3cr@t-PASSWORD'],
			['a "/"', 's3cr/t-PASSWORD'],
		])('%s in the proxy password does not reach the error item', async (_what, password) => {
			const baseUrl = testbed.emulator.url.replace('://', `://proxy-user:${password}@`);
			testbed.credentials.store('letpayApi', { ...testbed.credentials.storedData('letpayApi'), baseUrl });

			const { failed } = await testbed.run({ orders: [{ paymentToken: PAYMENT_TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

			expect(failed).toHaveLength(1);
			expect(JSON.stringify(failed[0].json)).not.toContain('t-PASSWORD');
		});
	});
});
