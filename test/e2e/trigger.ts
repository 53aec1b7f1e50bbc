import { EXAMPLES, exampleWithCredential, SETTLED_WEBHOOK_PATH } from '../../scripts/lib/examples';
import { DEFAULT_API_KEY } from '../letpayEmulator';
import { capture, token } from '../letpayEmulator/emulatorClient';
import { expectEqual, expectNoSecrets } from './assertions';
import type { CaseContext } from './cases';
import { ownerCookie, recordedExecutions } from './executions';

const SETTLED_ID = 'letpaySettled001';
/** A copy of the example with a Shared Secret, at a URL of its own. */
const GUARDED = { id: 'letpaySettled002', webhookId: '5d2c8e41-7b3a-4f09-8e6d-2a1b9c0f7e64', secret: 'e2e-notify-4f1c' };
const PAID_AFTER_MS = 1_500;

async function post(url: string, body: unknown, contentType = 'application/json') {
	const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
	return { status: response.status, text: await response.text() };
}

/**
 * The Letpay Trigger in a real n8n (`n8n start`, the example capture-settled.json active): the
 * emulator's own notifications after real captures (PAID, DECLINED), then forged ones. Only what
 * Letpay's look-up shows starts an execution; a forged "PAID" for a payment that is still
 * pre-authorized starts none (the example keeps PAID and DECLINED).
 */
export async function settledTrigger({ n8n, emulator }: CaseContext) {
	emulator.reset();
	emulator.configure({ paidAfterMs: PAID_AFTER_MS });
	const url = `${n8n.url}/webhook/${SETTLED_WEBHOOK_PATH}`;
	emulator.preAuthorize({ paymentToken: 'settled-7001', amount: '20.00', notificationUrl: url });
	emulator.preAuthorize({ paymentToken: 'settled-7002', amount: '15.00', notificationUrl: url, declineCapture: true });
	emulator.preAuthorize({ paymentToken: 'settled-7003', amount: '30.00' });
	const guarded = exampleWithCredential(EXAMPLES.settled) as unknown as { id: string; nodes: Array<{ webhookId?: string; parameters?: { options?: object } }> };
	guarded.id = GUARDED.id;
	guarded.nodes[0].webhookId = GUARDED.webhookId;
	guarded.nodes[0].parameters = { ...guarded.nodes[0].parameters, options: { sharedSecret: GUARDED.secret } };
	await n8n.importWorkflow(guarded);
	await n8n.activate(SETTLED_ID);
	await n8n.activate(GUARDED.id);
	await n8n.start();
	try {
		// Refused before any look-up (no payment named): registered once it answers something else than 404.
		await n8n.waitForWebhook(SETTLED_WEBHOOK_PATH, {});
		// The shop captures with Letpay directly; Letpay notifies PROCESSING (filtered out), then PAID or DECLINED.
		const accessToken = await token(emulator);
		for (const paymentToken of ['settled-7001', 'settled-7002']) await capture(emulator, accessToken, '{"amount":' + (paymentToken === 'settled-7001' ? '20.00' : '15.00') + '}', paymentToken);
		await new Promise((resolve) => setTimeout(resolve, PAID_AFTER_MS + 1_000));
		await emulator.notificationsIdle();
		const fromLetpay = emulator.notifications.map((sent) => [sent.paymentToken, sent.status, sent.statusCode]);
		expectEqual("Letpay's notifications, answered", fromLetpay, [
			['settled-7001', 'PROCESSING', 200],
			['settled-7002', 'PROCESSING', 200],
			['settled-7001', 'PAID', 200],
			['settled-7002', 'DECLINED', 200],
		]);

		/** Letpay's notification of the payment's current state, sent again in `shape`: what the trigger answered. */
		const notifyAgain = async (paymentToken: string, shape: 'flat' | 'nested') => {
			const [sent] = await emulator.notify(paymentToken, { shape });
			return { status: sent.statusCode, text: sent.answer ?? '' };
		};
		const answers = {
			forgedPaid: await post(url, { payment_token: 'settled-7003', transaction_status: 'PAID' }),
			duplicate: await post(url, { payment_token: 'settled-7001', transaction_status: 'PAID' }),
			unknown: await post(url, { payment_token: 'settled-7999', transaction_status: 'PAID' }),
			garbage: await post(url, 'not json at all', 'text/plain'),
			oversized: await post(url, { payment_token: 'settled-7001', padding: 'x'.repeat(70_000) }),
			wrongSecret: await post(`${n8n.url}/webhook/${GUARDED.webhookId}/webhook?secret=not-it`, { payment_token: 'settled-7001' }),
			rightSecret: await post(`${n8n.url}/webhook/${GUARDED.webhookId}/webhook?secret=${GUARDED.secret}`, { payment_token: 'settled-7001' }),
			// Letpay's body is undocumented: its other shape, sent again for a settled payment (a duplicate).
			nestedShape: await notifyAgain('settled-7001', 'nested'),
		};
		expectEqual('answers to forged notifications', Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.status])), {
			forgedPaid: 200,
			duplicate: 200,
			unknown: 200,
			garbage: 400,
			oversized: 400,
			wrongSecret: 401,
			rightSecret: 200,
			nestedShape: 200,
		});
		expectNoSecrets('trigger answers', Object.values(answers).map((answer) => answer.text).join('\n'), [DEFAULT_API_KEY.apiKey, DEFAULT_API_KEY.apiSecret, ...emulator.issuedAccessTokens, GUARDED.secret]);

		const cookie = await ownerCookie(n8n.url);
		const executions = await recordedExecutions(n8n, cookie, SETTLED_ID);
		const said = (paymentToken: string) => executions.filter((execution) => execution.data.includes(`"${paymentToken}"`));
		expectEqual('executions recorded', [executions.length, executions.every((execution) => execution.status === 'success')], [2, true]);
		expectEqual('settled-7001: PAID, marked paid', said('settled-7001').map((execution) => [execution.data.includes('"PAID"'), execution.data.includes('Mark the order paid')]), [[true, true]]);
		expectEqual('settled-7002: DECLINED, told a person', said('settled-7002').map((execution) => [execution.data.includes('"DECLINED"'), execution.data.includes('Tell a person')]), [[true, true]]);
		expectEqual('the forged "PAID" started no execution', said('settled-7003').length, 0);
		expectEqual('with the Shared Secret: one execution', (await recordedExecutions(n8n, cookie, GUARDED.id)).length, 1);
	} finally {
		await n8n.stop();
	}
}
