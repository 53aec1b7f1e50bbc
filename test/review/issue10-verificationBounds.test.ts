import { captureRequests, useTestbed } from '../helpers/testbed';
import { freshPaymentToken } from '../helpers/captures';

let TOKEN = '';
beforeEach(() => {
	TOKEN = freshPaymentToken();
});
const lookups = (emulator: { requests: Array<{ path: string }> }) => emulator.requests.filter((r) => r.path.startsWith('/transactionDetails'));
/** Allowance for scheduling, sign-in and the deadline watcher's 50 ms tick. */
const SLACK_MS = 600;

/*
 * No item is held longer than its Verification Window plus its Timeout. The look-ups after
 * "already captured" and before a capture (Check Before Capture) keep to that bound rather than
 * being repeated up to Max Retries, and a verification look-up gets little more than what the
 * window has left: a Letpay that hangs on look-ups cannot hold a workflow beyond its settings.
 */
describe('follow-up look-ups are bounded by the verification window', () => {
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

	test('a verification look-up never outlives the window by more than the slack', async () => {
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
