import { ledger, useTestbed } from '../helpers/testbed';
import { ordersFor, paymentTokens, preAuthorizeAll, PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

/*
 * With On Error → Stop Workflow the error's description is the only account of the run, so it
 * files each item by what a reader must do: an item still pre-authorized after the window (its
 * capture may be in flight) is listed to check in Letpay, never as "failed, not captured" next to
 * "run again"; a look-up is never called "captured", and failed look-ups are listed.
 */
describe('the stop-workflow summary with verified and look-up items', () => {
	const testbed = useTestbed({ repeatCaptures: 'allow', lookupLagMs: 5000 });

	test('an item still PRE_AUTHORIZED after the window, which Letpay did capture, is not summarised as "failed, not captured"', async () => {
		const tokens = paymentTokens(2, 'stop');
		preAuthorizeAll(testbed.emulator, tokens);
		testbed.emulator.injectFault(tokens[0], { kind: 'bad-gateway', captured: true });

		const { error } = await testbed.run({ orders: ordersFor(tokens), parameters: { options: { concurrency: 1 } }, verification: 800 });

		expect(ledger(testbed.emulator)).toEqual({ [tokens[0]]: [1000] }); // it was captured
		expect(error?.message).toBe('Letpay showed this payment still pre-authorized at the end of the verification window, so the outcome of the capture is unknown');
		expect(error?.description).not.toMatch(/failed, not captured: item 1\b/);
		expect(error?.description).toMatch(/check (these|this|them) in Letpay[^;]*item 1\b/);
	});

	test('Get: a look-up is never summarised as "captured", and a failed look-up is listed', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });

		const { error } = await testbed.run({
			orders: [{ paymentToken: TOKEN }, { paymentToken: 'no-such-payment' }],
			parameters: { operation: 'get', preAuthorizedPayment: '={{ $json.paymentToken }}', options: { concurrency: 1 } },
		});

		expect(error?.message).toMatch(/^Letpay could not look up this payment/);
		expect(error?.description).not.toMatch(/succeeded \(captured\)/);
		expect(error?.description).toMatch(/item 2\b/);
	});
});
