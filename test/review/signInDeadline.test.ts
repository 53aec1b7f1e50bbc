import { captureRequests, ledger, useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

const OTHER = '633de157-9a42-4d30-bbad-bd9fb883e058';
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/*
 * The node's deadline covers the whole exchange, sign-in included. While the sign-in is still
 * under way nothing has been sent: the item then says "not captured, nothing was sent", and the
 * request never goes out afterwards (a capture arriving after the node reported would invite a
 * builder to capture again).
 */
describe('a sign-in slower than the capture timeout', () => {
	const testbed = useTestbed({ repeatCaptures: 'allow' });
	const NOT_SENT = {
		message: 'Letpay took longer than the timeout to sign in, so nothing was sent for this item',
		outcome: 'not_captured',
		retryAdvice: 'later',
	};

	test('the item says nothing was sent, and no capture request reaches Letpay afterwards', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' });
		testbed.emulator.injectAuthFault({ kind: 'latency', ms: 2500 });

		const { failed } = await testbed.run({
			orders: [{ paymentToken: TOKEN, amount: 10 }],
			parameters: { options: { timeout: 1000 } },
			onError: 'continueErrorOutput',
		});
		expect(failed[0]?.json.error).toMatchObject(NOT_SENT);

		await wait(3000); // the sign-in has finished by now
		expect(captureRequests(testbed.emulator)).toHaveLength(0);
		expect(ledger(testbed.emulator)).toEqual({});
	});

	/*
	 * A sign-in answer trickled for ever never settles by n8n's own timeout (it restarts with every
	 * byte). Requests that join it give up at their own deadline, saying nothing was sent, never
	 * "unknown"; the sign-in itself gives up after 30 s, and the next request signs in afresh.
	 */
	test('a sign-in that never finishes: later items say nothing was sent, never "unknown"', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' });
		testbed.emulator.preAuthorize({ paymentToken: OTHER, amount: '20.00' });
		testbed.emulator.injectAuthFault({ kind: 'trickle', intervalMs: 20, endless: true });

		const first = await testbed.run({
			orders: [{ paymentToken: TOKEN, amount: 10 }],
			parameters: { options: { timeout: 1000 } },
			onError: 'continueErrorOutput',
		});
		const later = await testbed.run({
			orders: [{ paymentToken: OTHER, amount: 10 }],
			parameters: { options: { timeout: 1000 } },
			onError: 'continueErrorOutput',
		});

		expect([first.failed[0]?.json.error, later.failed[0]?.json.error]).toEqual([expect.objectContaining(NOT_SENT), expect.objectContaining(NOT_SENT)]);
		expect(captureRequests(testbed.emulator)).toHaveLength(0);
	});
});
