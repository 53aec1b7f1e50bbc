import type { Fault } from '../letpayEmulator';
import { captureOnce, ordersFor, OTHER_PAYMENT_TOKEN as WARM_UP, PAYMENT_TOKEN } from '../helpers/captures';
import { captureRequests, useTestbed } from '../helpers/testbed';


async function timed<T>(work: () => Promise<T>): Promise<T & { elapsedMs: number }> {
	const started = Date.now();
	const result = await work();
	return { ...result, elapsedMs: Date.now() - started };
}

/*
 * Option "Timeout (Ms)": how long the whole exchange with Letpay may take. n8n's own request
 * timeout restarts with every byte that arrives, so an answer trickled byte by byte would hold
 * the item (and the workflow) for as long as the sender likes.
 */
describe('the timeout is a deadline for the whole exchange', () => {
	const testbed = useTestbed();

	/** A capture before the timed one, so that the node holds an access token: the timed run is the capture alone. */
	async function signIn() {
		testbed.emulator.preAuthorize({ paymentToken: WARM_UP, amount: '10.00' });
		const { error } = await testbed.run({ orders: ordersFor([WARM_UP]) });
		expect(error).toBeUndefined();
	}

	test.each<[string, Fault]>([
		// About 150 bytes at 200 ms each: some 30 s if the timeout restarted with every byte.
		["Letpay's answer trickled one byte per 200 ms", { kind: 'trickle', intervalMs: 200 }],
		['an answer whose body never ends', { kind: 'trickle', intervalMs: 1, endless: true }],
	])('%s: with a 1 s timeout the item fails as an unknown outcome about 1 s later', async (_what, fault) => {
		await signIn();

		const { error, elapsedMs } = await timed(() => captureOnce(testbed, fault, { timeout: 1000 }));

		expect(error).toMatchObject({
			message: 'Letpay did not answer within 1 second, so the outcome of the capture is unknown',
			outcome: 'unknown',
			retryAdvice: 'check_status_first',
			attempts: 1,
		});
		expect(elapsedMs).toBeGreaterThanOrEqual(1000);
		// One second, and room for a loaded two-core machine; far from the trickle's pace.
		expect(elapsedMs).toBeLessThan(3000);
		expect(captureRequests(testbed.emulator).filter((request) => request.path.includes(PAYMENT_TOKEN))).toHaveLength(1);
		// The trickled answer was Letpay's real one: the capture happened, hence "unknown".
		expect(testbed.emulator.capturesOf(PAYMENT_TOKEN)).toHaveLength(1);
	});

	// Node runs a timer of more than 2^31 - 1 ms after 1 ms: such a timeout must not fail every item at once.
	test.each([2 ** 31 + 5, 3_000_000_000])('Timeout %i ms: a capture that takes 300 ms succeeds', async (timeout) => {
		const { captured, error } = await captureOnce(testbed, { kind: 'latency', ms: 300 }, { timeout });

		expect(error).toBeUndefined();
		expect(captured).toMatchObject({ success: true, paymentToken: PAYMENT_TOKEN, transactionStatus: 'PROCESSING' });
	});
});
