import { useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

const getParameters = { operation: 'get', preAuthorizedPayment: '={{ $json.paymentToken }}' };
const byReferenceParameters = { operation: 'getManyByReference', reference: '={{ $json.reference }}' };
const requestsTo = (emulator: { requests: Array<{ path: string }> }, prefix: string) => emulator.requests.filter((r) => r.path.startsWith(prefix));

/*
 * Max Retries of Get / Get Many is clamped to 0..10 whatever its value, since an expression or
 * an imported workflow bypasses the editor's limit (NaN and Infinity fall back to the default).
 * A 429 with Retry-After: 0 is resent at once, so the clamp is what bounds one item's look-ups.
 */
describe('look-up resends are bounded', () => {
	const testbed = useTestbed();

	test('Get: Max Retries 1000 (from an expression) still resends a look-up at most 10 times', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'rate-limit', retryAfterSeconds: 0 }, 40);

		await testbed.run({ orders: [{ paymentToken: TOKEN }], parameters: { ...getParameters, options: { maxRetries: 1000 } }, onError: 'continueErrorOutput' });

		expect(requestsTo(testbed.emulator, '/transactionDetails').length).toBeLessThanOrEqual(11);
	});

	test('Get Many by Reference: Max Retries 1000 still resends at most 10 times', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00', reference: 'order-1' });
		testbed.emulator.injectLookupFault('order-1', { kind: 'rate-limit', retryAfterSeconds: 0 }, 40);

		await testbed.run({ orders: [{ reference: 'order-1' }], parameters: { ...byReferenceParameters, options: { maxRetries: 1000 } }, onError: 'continueErrorOutput' });

		expect(requestsTo(testbed.emulator, '/payment/reference').length).toBeLessThanOrEqual(11);
	});
});
