import { freePort } from '../../scripts/lib/processes';
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
