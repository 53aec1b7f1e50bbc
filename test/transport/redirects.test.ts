import { useRecorder } from '../helpers/recorder';
import { captureOnce, OTHER_PAYMENT_TOKEN as OTHER_PAYMENT, PAYMENT_TOKEN } from '../helpers/captures';
import { captureRequests, ledger, useTestbed } from '../helpers/testbed';

const REDIRECTS = [301, 302, 303, 307, 308] as const;

/*
 * n8n's request helper follows redirects by default: a 307/308 sends the capture body and the
 * X-Auth-Token header on to wherever Location points, a 301/302/303 still sends the header.
 * Letpay has no idempotency key, so a capture answered with a redirect may have been made: the
 * node reads the 3xx as an answer, sends nothing anywhere else, and reports an unknown outcome.
 */
describe('redirects are never followed', () => {
	const testbed = useTestbed();
	const recorder = useRecorder();

	describe.each(REDIRECTS)('HTTP %i answered after Letpay captured', (status) => {
		const expectUnknownOutcome = (error: Record<string, unknown> | undefined, location: string) => {
			expect(error).toMatchObject({
				message: `Letpay answered with a redirect (HTTP ${status}), which this node never follows, so the outcome of the capture is unknown`,
				httpCode: String(status),
				outcome: 'unknown',
				retryAdvice: 'check_status_first',
				attempts: 1,
			});
			expect(error?.description).toContain(`It pointed to ${location}.`);
			expect(captureRequests(testbed.emulator)).toHaveLength(1);
			expect(ledger(testbed.emulator)).toEqual({ [PAYMENT_TOKEN]: [1000] });
		};

		test('to another origin: the item is an unknown outcome, and nothing reaches that origin', async () => {
			const location = `${recorder.current.url}/token/${PAYMENT_TOKEN}/capture`;

			const { error } = await captureOnce(testbed, { kind: 'redirect', status, location, captured: true });

			expectUnknownOutcome(error, location);
			// Not the capture body, not the access token: not even a connection.
			expect(recorder.current.requests).toEqual([]);
			expect(recorder.current.connections).toBe(0);
		});

		test("to another payment's capture on Letpay itself: that payment is not captured", async () => {
			testbed.emulator.preAuthorize({ paymentToken: OTHER_PAYMENT, amount: '10.00' });
			const location = `/token/${OTHER_PAYMENT}/capture`;

			const { error } = await captureOnce(testbed, { kind: 'redirect', status, location, captured: true });

			expectUnknownOutcome(error, location);
			expect(testbed.emulator.capturesOf(OTHER_PAYMENT)).toEqual([]);
		});
	});

	test.each(REDIRECTS)('/auth answered with HTTP %i to another origin: the API secret is not sent there', async (status) => {
		testbed.emulator.injectAuthFault({ kind: 'redirect', status, location: `${recorder.current.url}/auth` });

		const { error } = await captureOnce(testbed);

		expect(error).toMatchObject({
			message: `Could not obtain a Letpay access token (Custom environment, ${testbed.emulator.url}): Letpay answered HTTP ${status}`,
			outcome: 'not_captured',
		});
		expect(recorder.current.requests).toEqual([]);
		expect(recorder.current.connections).toBe(0);
		expect(testbed.emulator.requests.map((r) => [r.path, r.status])).toEqual([['/auth', status]]);
		expect(ledger(testbed.emulator)).toEqual({});
	});
});
