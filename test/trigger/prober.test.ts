import { freshPaymentToken } from '../helpers/captures';
import { requestsTo, useTestbed } from '../helpers/testbed';
import { notifyTrigger } from '../helpers/triggerCall';

/*
 * Promise 2: an unknown payment or another merchant's is answered exactly like a handled one, so
 * that a prober cannot tell which tokens exist, also by timing.
 */
describe('what a prober can learn', () => {
	const testbed = useTestbed({ paidAfterMs: 0 });

	test('timing: a forged "PAID" for an existing pre-authorized payment is answered as fast as one for an unknown token', async () => {
		const existing = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken: existing, amount: '10.00' });
		const options = { settleWindow: 3000 };

		const unknown = await notifyTrigger(testbed.credentials, { workflowId: 'wf-a', body: { payment_token: freshPaymentToken(), status: 'PAID' }, parameters: { options } });
		const known = await notifyTrigger(testbed.credentials, { workflowId: 'wf-b', body: { payment_token: existing, status: 'PAID' }, parameters: { options } });

		// Both answer 200 {"received":true} ...
		expect([unknown.status, known.status]).toEqual([200, 200]);
		// ... and as fast: the answer is written after the first look-up, the Settle Window runs after it.
		expect(known.answeredMs! - unknown.answeredMs!).toBeLessThan(500);
	}, 20_000);
});

describe('Look-Ups per Minute bounds the requests a forger causes', () => {
	const testbed = useTestbed({ paidAfterMs: 0 });

	test('two forged "PAID" notifications with Look-Ups per Minute = 2 make at most 2 look-ups', async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		const notification = { workflowId: `wf-${paymentToken}`, body: { payment_token: paymentToken, status: 'PAID' }, parameters: { options: { lookupsPerMinute: 2, settleWindow: 3000 } } };

		await notifyTrigger(testbed.credentials, notification);
		await notifyTrigger(testbed.credentials, notification);

		expect(requestsTo(testbed.emulator, '/transactionDetails').length).toBeLessThanOrEqual(2);
	}, 20_000);
});
