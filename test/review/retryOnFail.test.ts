import { ledger, useTestbed } from '../helpers/testbed';

const A = '8f048623-16c6-47da-aca1-000000000001';
const B = '8f048623-16c6-47da-aca1-000000000002';
const C = '8f048623-16c6-47da-aca1-000000000003';
const orders = [A, B, C].map((paymentToken) => ({ paymentToken, amount: 10 }));
const retry = { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 };

/*
 * n8n's node setting Retry On Fail re-runs the node for ALL its items after any failure (in the
 * same execution and node context). Letpay has no idempotency key, so that could send captured
 * payments again; and the node's own duplicate memory would then call every item "not sent".
 * The node therefore refuses to send anything while the setting is on, and says why.
 */
describe('Retry On Fail turned on for the node', () => {
	const testbed = useTestbed();
	beforeEach(() => {
		for (const paymentToken of [A, B, C]) testbed.emulator.preAuthorize({ paymentToken, amount: '20.00' });
	});

	test('continue (error output): nothing is sent, every item is an error item that says what to do', async () => {
		const { success, failed } = await testbed.run({ orders, onError: 'continueErrorOutput', nodeSettings: retry });

		expect(ledger(testbed.emulator)).toEqual({});
		expect(testbed.emulator.requests).toEqual([]);
		expect(success).toEqual([]);
		expect(failed.map((item) => [item.pairedItem, item.json.error])).toEqual(
			[0, 1, 2].map((index) => [
				{ item: index },
				expect.objectContaining({
					message: "Turn off this node's Retry On Fail setting: nothing was sent to Letpay",
					outcome: 'not_captured',
					retryAdvice: 'after_fixing_input',
				}),
			]),
		);
	});

	test('stop workflow: the run stops before anything is sent, naming the setting', async () => {
		const { error } = await testbed.run({ orders, nodeSettings: retry });

		expect(testbed.emulator.requests).toEqual([]);
		expect(error?.message).toBe("Turn off this node's Retry On Fail setting: nothing was sent to Letpay");
		expect(error?.description).toContain("set On Error to 'Continue (using error output)'");
	});
});
