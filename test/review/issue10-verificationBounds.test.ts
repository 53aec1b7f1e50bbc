import { captureRequests, useTestbed } from '../helpers/testbed';

const TOKEN = '8f048623-16c6-47da-aca1-546a16e8fb99';
const lookups = (emulator: { requests: Array<{ path: string }> }) => emulator.requests.filter((r) => r.path.startsWith('/transactionDetails'));
/** Scheduling, sign-in and the deadline watcher's 50 ms tick. */
const SLACK_MS = 600;

/*
 * Promise: no item is held longer than its Verification Window plus its Timeout. The look-ups
 * after "already captured" and before a capture (Check Before Capture) do not use the window:
 * they are repeated after every timeout up to Max Retries (a setting documented for captures that
 * did not reach Letpay), so a Letpay that hangs on look-ups holds the item (Max Retries + 1) x
 * Timeout plus backoff: with the defaults (30 s, 2 retries, 10 s window) 91 s instead of 40 s.
 * And each verification look-up gets at least 1 s, even when the window has less left.
 */
describe('review issue10: follow-up look-ups are bounded by the verification window', () => {
	const testbed = useTestbed();

	test('after "already captured", hanging look-ups hold the item no longer than window + timeout', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }] });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'hang' }, 10);
		const options = { timeout: 2000, verificationWindow: 1000 };

		const started = Date.now();
		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], parameters: { options }, onError: 'continueErrorOutput' });
		const elapsed = Date.now() - started;

		expect(failed[0].json.error).toMatchObject({ outcome: 'already_captured_or_expired' });
		expect(lookups(testbed.emulator).length).toBeGreaterThanOrEqual(1);
		expect(elapsed).toBeLessThan(options.timeout + options.verificationWindow + SLACK_MS);
	}, 20_000);

	test('Check Before Capture: hanging look-ups hold the item no longer than window + timeout', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'hang' }, 10);
		const options = { timeout: 2000, verificationWindow: 1000, checkBeforeCapture: true };

		const started = Date.now();
		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], parameters: { options }, onError: 'continueErrorOutput' });
		const elapsed = Date.now() - started;

		expect(failed[0].json.error).toMatchObject({ outcome: 'not_captured' });
		expect(captureRequests(testbed.emulator)).toEqual([]);
		expect(elapsed).toBeLessThan(options.timeout + options.verificationWindow + SLACK_MS);
	}, 20_000);

	test('a verification look-up never outlives the window by more than the slack (no 1 s floor)', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		testbed.emulator.injectFault(TOKEN, { kind: 'hang' });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'hang' }, 5);
		const options = { timeout: 1000 };
		const window = 100;

		const started = Date.now();
		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], parameters: { options }, onError: 'continueErrorOutput', verification: window });
		const elapsed = Date.now() - started;

		expect(failed[0].json.error).toMatchObject({ outcome: 'unknown' });
		expect(elapsed).toBeLessThan(options.timeout + window + SLACK_MS);
	}, 20_000);
});
