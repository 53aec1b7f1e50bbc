import { freshPaymentToken } from '../helpers/captures';
import { requestsTo, useTestbed } from '../helpers/testbed';
import { notifyTrigger } from '../helpers/triggerCall';

const lookups = (testbed: { emulator: Parameters<typeof requestsTo>[0] }) => requestsTo(testbed.emulator, '/transactionDetails').length;

describe('many notifications at once', () => {
	const testbed = useTestbed({ paidAfterMs: 0 });

	test('50 notifications of one paid payment at once (mixed letter case): one look-up, one emission, all 200', async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		await testbed.run({ orders: [{ paymentToken, amount: 10 }] });
		const before = lookups(testbed);

		const answers = await Promise.all(
			Array.from({ length: 50 }, (_v, index) =>
				notifyTrigger(testbed.credentials, { workflowId: 'wf-many', body: { payment_token: index % 2 ? paymentToken.toUpperCase() : paymentToken, status: 'PAID' }, parameters: { options: { lookupsPerMinute: 1000 } } }),
			),
		);

		expect(answers.every((answer) => answer.status === 200)).toBe(true);
		expect(answers.flatMap((answer) => answer.emitted ?? [])).toHaveLength(1);
		expect(lookups(testbed) - before).toBe(1);
	});

	test('30 payments x 3 workflows at once: each payment emitted once per workflow', async () => {
		const tokens = Array.from({ length: 30 }, () => freshPaymentToken());
		for (const paymentToken of tokens) testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		const answers = await Promise.all(
			tokens.flatMap((paymentToken) =>
				['w1', 'w2', 'w3'].flatMap((wf) => [0, 1].map(() => notifyTrigger(testbed.credentials, { workflowId: `wf-x-${wf}`, body: { paymentToken }, parameters: { options: { lookupsPerMinute: 1000 } } }))),
			),
		);
		expect(answers.every((answer) => answer.status === 200)).toBe(true);
		expect(answers.flatMap((answer) => answer.emitted ?? [])).toHaveLength(90);
	});
});

/*
 * Settle Window + shared look-up: a notification that claims PAID joins a look-up started by one
 * that claimed nothing (or less). It is then answered with that look-up's result, without looking
 * again: Letpay hears 200 for its PAID notification, and PAID is never emitted.
 */
describe('a PAID notification that joins a look-up already in flight', () => {
	const testbed = useTestbed({ paidAfterMs: 0, lookupLagMs: 1200 });

	test('control: alone, the PAID notification settles and emits PAID', async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		await testbed.run({ orders: [{ paymentToken, amount: 10 }] });

		const paid = await notifyTrigger(testbed.credentials, { workflowId: `wf-${paymentToken}`, body: { payment_token: paymentToken, status: 'PAID' }, parameters: { options: { settleWindow: 6000 } } });

		expect(paid.emitted).toEqual([expect.objectContaining({ transactionStatus: 'PAID' })]);
	}, 20_000);

	test('a status-less notification (e.g. forged, or a ping) a moment earlier: the PAID one still emits PAID', async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		await testbed.run({ orders: [{ paymentToken, amount: 10 }] });
		const workflowId = `wf-${paymentToken}`;
		const parameters = { options: { settleWindow: 6000 } };

		const [early, paid] = await Promise.all([
			notifyTrigger(testbed.credentials, { workflowId, body: { payment_token: paymentToken }, parameters }),
			notifyTrigger(testbed.credentials, { workflowId, body: { payment_token: paymentToken, status: 'PAID' }, parameters }),
		]);

		const emitted = [...(early.emitted ?? []), ...(paid.emitted ?? [])].map((item) => item.transactionStatus);
		expect(paid.status).toBe(200);
		expect(emitted).toContain('PAID');
	}, 20_000);
});
