import { freshPaymentToken } from '../helpers/captures';
import { requestsTo, useTestbed, type Testbed } from '../helpers/testbed';
import { notifyTrigger, type Notification } from '../helpers/triggerCall';
import { notificationBody } from '../letpayEmulator/notificationBody';

/*
 * The Letpay Trigger, through n8n-core's real WebhookContext against the emulator. Nothing a
 * notification says is trusted: it names a payment, the trigger looks it up, and only Letpay's
 * answer starts the workflow. Answers never echo the body, and do not tell a prober which
 * payments exist.
 */
const SETTLE = { settleWindow: 600 };
const lookupsOf = (testbed: Testbed) => requestsTo(testbed.emulator, '/transactionDetails').length;

function useTrigger() {
	const testbed = useTestbed({ paidAfterMs: 0 });
	const notify = async (notification: Notification) => await notifyTrigger(testbed.credentials, { workflowId: `wf-${freshPaymentToken()}`, ...notification });
	/** A payment captured in full through the node, as a shop's workflow would. */
	const capturedPayment = async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		await testbed.run({ orders: [{ paymentToken, amount: 10 }] });
		return paymentToken;
	};
	return { testbed, notify, capturedPayment };
}

describe('Letpay Trigger: a notification is trusted only after a look-up', () => {
	const { testbed, notify, capturedPayment } = useTrigger();

	test("a captured payment's notification: Letpay's state is emitted, with what the notification claimed", async () => {
		const paymentToken = await capturedPayment();

		const answer = await notify({ body: { payment_token: paymentToken, transaction_status: 'PAID' }, parameters: { options: SETTLE } });

		expect(answer).toMatchObject({ status: 200, body: { received: true } });
		expect(answer.emitted).toEqual([
			expect.objectContaining({ paymentToken, transactionStatus: 'PAID', capturedAmount: 10, notification: { receivedAt: expect.any(String), claimedStatus: 'PAID' } }),
		]);
	});

	test('a forged "PAID" for a payment still pre-authorized: PRE_AUTHORIZED is emitted, after looking again within the Settle Window', async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });

		const answer = await notify({ body: { paymentToken, status: 'PAID' }, parameters: { options: SETTLE } });

		expect(answer.emitted).toEqual([expect.objectContaining({ paymentToken, transactionStatus: 'PRE_AUTHORIZED', notification: expect.objectContaining({ claimedStatus: 'PAID' }) })]);
		expect(lookupsOf(testbed)).toBeGreaterThan(1);
	});

	test('the same forged "PAID", filtered to PAID and DECLINED: nothing is emitted, and the caller hears 200', async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });

		const answer = await notify({ body: { paymentToken, status: 'PAID' }, parameters: { statuses: ['PAID', 'DECLINED'], options: { settleWindow: 0 } } });

		expect(answer).toMatchObject({ status: 200, body: { received: true }, emitted: undefined });
	});

	// Letpay documents no body: the trigger reads both of the emulator's shapes (and a forged one as well).
	test.each(['flat', 'nested'] as const)("Letpay's notification in the %s shape names the payment and claims its status", async (shape) => {
		const paymentToken = await capturedPayment();
		const body = notificationBody(shape, { paymentToken, status: 'PAID', currency: 'BRL', orderCents: 1000, paymentCents: 1000, refundedCents: 0, at: Date.now() });

		const answer = await notify({ body });

		expect(answer.emitted).toEqual([expect.objectContaining({ paymentToken, transactionStatus: 'PAID', notification: expect.objectContaining({ claimedStatus: 'PAID' }) })]);
	});

	test('the same notification twice: emitted once', async () => {
		const paymentToken = await capturedPayment();
		const notification = { body: { payment_token: paymentToken }, workflowId: `wf-dup-${paymentToken}` };

		const first = await notify(notification);
		const second = await notify(notification);

		expect(first.emitted).toHaveLength(1);
		expect(second).toMatchObject({ status: 200, body: { received: true }, emitted: undefined });
	});

	test('an unknown payment is answered like a handled one (200), and nothing is emitted', async () => {
		const answer = await notify({ body: { payment_token: freshPaymentToken() } });

		expect(answer).toMatchObject({ status: 200, body: { received: true }, emitted: undefined });
	});

	test('Simplify off: every field of the look-up; Include Notification Body: the body without token-like values', async () => {
		const paymentToken = await capturedPayment();

		const answer = await notify({ body: { event: 'payment', data: { payment_token: paymentToken, note: 'shipped' } }, parameters: { simple: false, options: { includeNotificationBody: true } } });

		expect(Object.keys(answer.emitted![0])).toHaveLength(14);
		expect(answer.emitted![0].notification).toMatchObject({ body: { event: 'payment', data: { note: 'shipped' } } });
	});
});

describe('Letpay Trigger: what it refuses, and how it answers', () => {
	const { testbed, notify } = useTrigger();

	test.each([
		['no payment in it', { event: 'ping' }, 'The notification names no payment'],
		['a path instead of a payment token', { payment_token: '../../admin' }, 'The notification names no payment'],
		['two different payments', { payment_token: freshPaymentToken(), data: { token: freshPaymentToken() } }, 'The notification names two different payments'],
		['more than 64 KB', { payment_token: freshPaymentToken(), padding: 'x'.repeat(70_000) }, 'The notification is larger than 64 KB'],
	])('%s: 400, nothing looked up', async (_what, body, error) => {
		const answer = await notify({ body });

		expect(answer).toMatchObject({ status: 400, body: { error }, emitted: undefined });
		expect(lookupsOf(testbed)).toBe(0);
	});

	test('Shared Secret: missing or wrong, 401 and no look-up; right, handled', async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		const parameters = { options: { sharedSecret: 'notify-7f3a9c' } };

		await expect(notify({ body: { paymentToken }, parameters })).resolves.toMatchObject({ status: 401, emitted: undefined });
		await expect(notify({ body: { paymentToken }, query: { secret: 'notify-7f3a9' }, parameters })).resolves.toMatchObject({ status: 401 });
		expect(lookupsOf(testbed)).toBe(0);
		await expect(notify({ body: { paymentToken }, query: { secret: 'notify-7f3a9c' }, parameters })).resolves.toMatchObject({ status: 200 });
	});

	test('past Look-Ups per Minute: 429, no look-up; callers with the Shared Secret are not counted', async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		const workflowId = `wf-limit-${paymentToken}`;
		const limited = { workflowId, body: { paymentToken }, parameters: { options: { lookupsPerMinute: 2 } } };

		await notify(limited);
		await notify(limited);
		const third = await notify(limited);

		expect(third).toMatchObject({ status: 429, headers: { 'retry-after': '60' } });
		expect(lookupsOf(testbed)).toBe(2);
		const withSecret = { ...limited, query: { secret: 's3cret-abc' }, parameters: { options: { lookupsPerMinute: 2, sharedSecret: 's3cret-abc' } } };
		await expect(notify(withSecret)).resolves.toMatchObject({ status: 200 });
	});

	test('a look-up that fails: 503, so that the caller sends it again', async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		testbed.emulator.injectLookupFault(paymentToken, { kind: 'bad-gateway' }, 5);

		const answer = await notify({ body: { paymentToken } });

		expect(answer).toMatchObject({ status: 503, emitted: undefined });
		expect(JSON.stringify(answer.body)).not.toContain(paymentToken);
	});
});
