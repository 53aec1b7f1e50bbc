import { freshPaymentToken } from '../helpers/captures';
import { findLeaks, secretsOf } from '../helpers/secrets';
import { useTestbed } from '../helpers/testbed';
import { notifyTrigger } from '../helpers/triggerCall';

/*
 * Promises 1 and 5 end to end: what a notification puts into the workflow's item is only
 * notification.receivedAt / claimedStatus (and the scrubbed body if asked), never token-like.
 */
describe('what a notification can put into the emitted item', () => {
	const testbed = useTestbed({ paidAfterMs: 0 });

	test('claimedStatus is a status, not any text: another payment token in "status" does not reach the workflow', async () => {
		const paymentToken = freshPaymentToken();
		const other = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });

		const answer = await notifyTrigger(testbed.credentials, { workflowId: `wf-${paymentToken}`, body: { payment_token: paymentToken, data: { status: other } } });

		expect(answer.emitted).toHaveLength(1);
		expect(JSON.stringify(answer.emitted).toLowerCase()).not.toContain(other);
	});

	test("Include Notification Body: the credential's own key, secret and access tokens are never kept", async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		// An earlier notification makes the trigger sign in: its access token is then known.
		await notifyTrigger(testbed.credentials, { workflowId: `wf-warm-${paymentToken}`, body: { payment_token: paymentToken } });
		const [accessToken] = testbed.emulator.issuedAccessTokens;
		const body = { payment_token: paymentToken, merchant: testbed.account.apiKey, note: `signed with ${testbed.account.apiSecret}`, session: `Bearer ${accessToken}` };

		const answer = await notifyTrigger(testbed.credentials, { workflowId: `wf-${paymentToken}`, body, parameters: { options: { includeNotificationBody: true } } });

		expect(answer.emitted).toHaveLength(1);
		expect(findLeaks(JSON.stringify(answer.emitted), secretsOf(testbed.emulator, testbed.account))).toEqual([]);
	});
});
