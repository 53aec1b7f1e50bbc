import { randomUUID } from 'node:crypto';

import type { TestCredentialsHelper } from '../../helpers/credentialsHelper';
import { callTrigger, type TriggerAnswer } from '../../helpers/webhookCall';
import type { CaptureRecord } from '../../letpayEmulator';
import { findLeaks } from '../../helpers/secrets';
import type { N8nProcess } from './processes';
import type { Scenario } from './scenario';

/*
 * The Letpay Trigger in the model. After a scenario's executions, every payment gets a forged
 * "PAID" notification, twice, and a payment Letpay never saw gets one, through the first
 * process's trigger: whatever the captures and faults left behind, an emitted item says only what
 * Letpay shows, once per state, and no answer or item carries a secret.
 */

export interface NotificationCheck {
	payment: string;
	kind: 'forged PAID' | 'the same again' | 'unknown payment';
	answer: TriggerAnswer;
	/** Letpay took money for this payment (in the scenario or the day before): PROCESSING or PAID may be shown. */
	capturedAtLetpay: boolean;
	/** Look-up faults were planned for it: what the look-up shows is then the fault's. */
	lookupFaulted: boolean;
}

export async function notifyPayments(scenario: Scenario, process: N8nProcess, helper: TestCredentialsHelper, ledger: CaptureRecord[]): Promise<NotificationCheck[]> {
	// A workflow of its own: the trigger's memory of emitted states starts empty for this scenario.
	const workflowId = `notifications-${randomUUID()}`;
	const parameters = { options: { settleWindow: 0, lookupsPerMinute: 10_000 } };
	const send = async (paymentToken: string) => await callTrigger(process.trigger, helper, { workflowId, parameters, body: { payment_token: paymentToken, transaction_status: 'PAID' } });
	const checks: NotificationCheck[] = [];
	for (const payment of scenario.payments) {
		const facts = {
			payment: payment.token,
			capturedAtLetpay: payment.capturedBeforeCents > 0 || ledger.some((capture) => capture.paymentToken.toLowerCase() === payment.token.toLowerCase()),
			lookupFaulted: payment.lookupFaults.length > 0,
		};
		checks.push({ ...facts, kind: 'forged PAID', answer: await send(payment.token) });
		checks.push({ ...facts, kind: 'the same again', answer: await send(payment.token) });
	}
	const unknown = `never-pre-authorized-${randomUUID()}`;
	checks.push({ payment: unknown, kind: 'unknown payment', answer: await send(unknown), capturedAtLetpay: false, lookupFaulted: false });
	return checks;
}

type Found = (kind: string, detail: string) => void;

export function checkNotifications(scenario: Scenario, checks: NotificationCheck[], secrets: string[], found: Found) {
	const signInMayFail = scenario.authFaults.length > 0;
	/** payment + state (status, captured, refunded): a state is emitted once; a look-up showing another may emit again. */
	const emittedBefore = new Set<string>();
	for (const { payment, kind, answer, capturedAtLetpay, lookupFaulted } of checks) {
		const where = `trigger, ${kind} for ${payment}`;
		const mayFail = lookupFaulted || signInMayFail;
		if (!(answer.status === 200 || (answer.status === 503 && mayFail))) found('trigger answer', `${where}: HTTP ${answer.status}`);
		const items = answer.emitted ?? [];
		if (items.length > 0 && kind === 'unknown payment') found('trigger emitted an unknown payment', where);
		for (const item of items) {
			const state = [payment, item.transactionStatus, item.capturedAmount, item.refundedAmount].join('|');
			if (emittedBefore.has(state)) found('trigger emitted a state twice', `${where}: ${String(item.transactionStatus)}`);
			emittedBefore.add(state);
			const shown = String(item.transactionStatus);
			// A payment Letpay took no money for never shows as captured, whatever the notification claimed.
			if (!capturedAtLetpay && !lookupFaulted && ['PROCESSING', 'PAID'].includes(shown)) found('trigger emitted a claim as a fact', `${where}: ${shown}`);
			if ((item.notification as { claimedStatus?: unknown } | undefined)?.claimedStatus !== 'PAID') found('trigger lost the claim', where);
		}
		const leaks = findLeaks(JSON.stringify([answer.body, answer.headers, items]), secrets);
		if (leaks.length > 0) found('secret leaked', `${where}: ${leaks.join(', ')}`);
	}
}
