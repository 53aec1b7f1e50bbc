import { useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

/*
 * A failed look-up sent no capture (outcome no_money_moved), so its message never speaks of a
 * capture or of an unknown outcome, whatever Letpay's text says (its documented 502, 00.03.0001,
 * ends "so its outcome is unknown"): a builder must not take a failed look-up for a capture in doubt.
 */
describe('a failed look-up does not speak of a capture', () => {
	const testbed = useTestbed();

	test("Get after Letpay's documented 502 (00.03.0001): the message does not say a capture's outcome is unknown", async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'bad-gateway' }, 5);

		const { failed } = await testbed.run({
			orders: [{ paymentToken: TOKEN }],
			parameters: { operation: 'get', preAuthorizedPayment: '={{ $json.paymentToken }}', options: { maxRetries: 0 } },
			onError: 'continueErrorOutput',
		});

		const { message, outcome } = failed[0].json.error as { message: string; outcome: string };
		expect(outcome).toBe('no_money_moved');
		expect(message).not.toMatch(/capture|outcome is unknown/);
	});

	test('Get Many: a 200 whose payments is not a list says so, not that an outcome is unknown', async () => {
		testbed.emulator.injectLookupFault('order-1', { kind: 'answer', status: 200, body: { payments: 'none' } });

		const { failed } = await testbed.run({
			orders: [{ reference: 'order-1' }],
			parameters: { operation: 'getManyByReference', reference: '={{ $json.reference }}' },
			onError: 'continueErrorOutput',
		});

		const { message, description } = failed[0].json.error as { message: string; description: string };
		expect(message).not.toMatch(/outcome is unknown/);
		expect(description).not.toMatch(/without a JSON body/);
	});
});
