import type { IDataObject } from 'n8n-workflow';

import { report, type ItemOutcome, type LetpayErrorReport } from '../../errors/report';
import { centsOf } from '../../money/amount';
import type { LetpayClient } from '../../transport/letpayClient';
import { CAPTURED_STATUSES } from '../../validation/letpayAnswer';
import { lookUpPayment, verifyCapture, type Verification } from './lookup';

/*
 * Letpay has no idempotency key; payment engineers look the payment up before deciding. These
 * are the checks around a capture: what this n8n process sent lately (the capture record), the
 * look-up before it (Check Before Capture), after an answer that leaves its outcome unknown, and
 * after Letpay says the payment was captured before.
 *
 * The capture record, one per payment (its token in any letter case):
 * 1. A capture is marked `in_flight` BEFORE it is sent, whatever the options, so that a repeat
 *    starting meanwhile (a re-sent webhook, an AI agent calling the tool twice) sees it.
 * 2. Its outcome settles the mark: `captured` (Letpay took it, or verification credited it),
 *    `unknown` (it may have), or the mark is removed when Letpay refused it (nothing moved).
 * 3. With Check Before Capture (always, as a tool) a payment with any mark is not sent: Letpay's
 *    look-ups can lag behind a capture, so a look-up alone cannot tell "never captured" from
 *    "captured a moment ago".
 * 4. Keyed by the payment token alone, not the credential nor the base URL: a capture sent through
 *    another credential of the merchant, before its secret was rotated, or through another host
 *    name of the same Letpay (a proxy, localhost for 127.0.0.1) counts. Payment tokens are UUIDs,
 *    so sharing one record across Letpay environments only errs on the cautious side. Kept 30
 *    minutes, at most 50,000 payments.
 * 5. The record lives in this process only. Another n8n process (a queue-mode worker) keeps its
 *    own; across processes only Letpay's look-up and its own refusal (01.05.0003) protect a payment.
 * Duplicates within one execution are caught earlier, in n8n's node context (deduplicate.ts).
 */

/** What the checks need of a capture request. */
export interface CheckedCapture {
	paymentToken: string;
	cents: number;
	amount: number;
	timeoutMs: number;
	verificationWindowMs: number;
	ifAlreadyCaptured: 'fail' | 'output';
}

export interface CaptureMark {
	state: 'in_flight' | 'captured' | 'unknown';
	cents: number;
	at: number;
}

const KEEP_MS = 30 * 60_000;
const MAX_PAYMENTS = 50_000;
const records = new Map<string, CaptureMark[]>();

/** The live marks of a payment (by its paymentKey), oldest first. */
export function marksOf(key: string): CaptureMark[] {
	const live = (records.get(key) ?? []).filter((mark) => Date.now() - mark.at <= KEEP_MS);
	if (live.length === 0) records.delete(key);
	else records.set(key, live);
	return [...live];
}

/** Rule 1: called right before the capture is sent, with no await between the check and this. */
export function markInFlight(key: string, cents: number): CaptureMark {
	const mark: CaptureMark = { state: 'in_flight', cents, at: Date.now() };
	const marks = marksOf(key);
	// Re-inserted: a Map keeps insertion order, so the least recently used payment is dropped first.
	records.delete(key);
	records.set(key, [...marks, mark]);
	while (records.size > MAX_PAYMENTS) records.delete(records.keys().next().value as string);
	return mark;
}

/** Rule 2: what the capture came to. */
export function settleMark(key: string, mark: CaptureMark, outcome: 'captured' | 'unknown' | 'refused'): void {
	if (outcome !== 'refused') {
		mark.state = outcome;
		mark.at = Date.now();
		return;
	}
	const rest = (records.get(key) ?? []).filter((other) => other !== mark);
	if (rest.length === 0) records.delete(key);
	else records.set(key, rest);
}

/** An error item of this capture: the payment and amount, how often it was sent, and what look-ups showed. */
export function captureFailed(request: CheckedCapture, failed: LetpayErrorReport, { attempts, ...shown }: IDataObject & { attempts?: number } = {}): ItemOutcome {
	return { ok: false, report: failed, facts: { ...(attempts === undefined ? {} : { attempts }), paymentToken: request.paymentToken, amount: request.amount, ...shown } };
}

/**
 * Check Before Capture, first step (rule 3): this process sent a capture of the payment lately
 * (in flight, captured, or of unknown outcome). Letpay may not show it yet, so nothing is sent.
 */
export function sentByThisProcess(key: string, request: CheckedCapture): ItemOutcome | undefined {
	const latest = marksOf(key).at(-1);
	if (!latest) return undefined;
	const minutes = Math.max(1, Math.round((Date.now() - latest.at) / 60_000));
	const state = { in_flight: 'still in flight', captured: 'captured', unknown: 'outcome unknown' }[latest.state];
	return captureFailed(
		request,
		report({
			message: `This n8n sent a capture of this payment within the last ${minutes} minute${minutes === 1 ? '' : 's'} (${state}), so nothing was sent`,
			description: 'Checked before capturing. Letpay may not show a capture that is still in flight, so a payment this n8n sent lately is never sent again.',
			outcome: 'handled_by_earlier_item',
			retryAdvice: latest.state === 'captured' ? 'never' : 'check_status_first',
		}),
	);
}

/**
 * Check Before Capture, second step: only a PRE_AUTHORIZED payment is sent (undefined: go on). A
 * captured one is "already captured", whatever If Already Captured says: that option answers
 * Letpay's own refusal.
 */
export async function checkBeforeCapture(client: LetpayClient, request: CheckedCapture): Promise<ItemOutcome | undefined> {
	// One look-up, bounded by the timeout: nothing has been sent, and the item may simply run again.
	const lookup = await lookUpPayment(client, request.paymentToken, { timeoutMs: request.timeoutMs, maxRetries: 0 });
	if (!lookup.ok) {
		const message = `Could not check the payment before capturing it, so nothing was sent: ${lookup.report.message}`;
		return captureFailed(request, { ...lookup.report, message, outcome: 'not_captured' });
	}
	const { details } = lookup;
	const status = details.transactionStatus ?? '';
	if (status === 'PRE_AUTHORIZED') return undefined;
	if (CAPTURED_STATUSES.has(status)) {
		const already = report({
			message: 'This payment was already captured',
			description: `Checked before capturing: Letpay shows ${details.transactionStatus}, ${details.capturedAmount ?? 'an unknown amount'} captured. Nothing was sent.`,
			outcome: 'already_captured_or_expired',
			retryAdvice: 'never',
		});
		return captureFailed(request, already, { letpayStatus: status, capturedAmount: details.capturedAmount });
	}
	const notPreAuthorized = report({
		message: `This payment is not pre-authorized (Letpay shows ${status || 'no status'}), so nothing was sent`,
		description: 'Checked before capturing. Only a pre-authorized payment can be captured.',
		outcome: 'not_captured',
		retryAdvice: 'never',
	});
	return captureFailed(request, notPreAuthorized, { letpayStatus: status || null });
}

/** One look-up, never repeated, within the verification window (or the timeout if shorter). */
const followUpLookup = async (client: LetpayClient, request: CheckedCapture) =>
	await lookUpPayment(client, request.paymentToken, { timeoutMs: Math.min(request.timeoutMs, Math.max(request.verificationWindowMs, 1000)), maxRetries: 0 });

/** Letpay said "already captured or expired": what does the payment show? */
export async function afterAlreadyCaptured(client: LetpayClient, request: CheckedCapture, refusal: LetpayErrorReport, attempts: number): Promise<ItemOutcome> {
	const lookup = await followUpLookup(client, request);
	if (!lookup.ok) return captureFailed(request, refusal, { attempts, lookupProblem: lookup.report.message });
	const { details } = lookup;
	const status = details.transactionStatus ?? '';
	const shown = { letpayStatus: status || null, capturedAmount: details.capturedAmount };
	// Letpay's refusal stands (captured before, or expired); the look-up only adds what it shows.
	if (!CAPTURED_STATUSES.has(status)) return captureFailed(request, { ...refusal, message: `${refusal.message} (Letpay now shows ${status || 'no status'})` }, { attempts, ...shown });
	// "Output as captured" only for exactly this amount: anything else is not what the item asked for.
	if (request.ifAlreadyCaptured === 'output' && centsOf(details.capturedAmount) === request.cents) {
		return { ok: true, json: { success: true, alreadyCaptured: true, paymentToken: request.paymentToken, transactionStatus: status, amount: request.amount, ...shown } };
	}
	const capturedBefore = `This payment was captured before (${[details.capturedAmount ?? 'an unknown amount', details.currency].filter(Boolean).join(' ')}, ${status})`;
	return captureFailed(request, { ...refusal, message: capturedBefore }, { attempts, ...shown });
}

/**
 * The capture's answer left its outcome unknown: look the payment up within the window. A look-up
 * shows the payment's state, never who captured, so a capture is reported only when the money
 * moved once for what the item asked: the whole pre-authorized amount, captured (see
 * verifyCapture). `sentByOthers`: this process sent other captures of the payment lately, before
 * this one or while it was looked up, so the total could be theirs; asked once the look-up is done.
 */
export async function afterUncertainAnswer(client: LetpayClient, request: CheckedCapture, uncertain: LetpayErrorReport, attempts: number, sentByOthers: () => boolean): Promise<ItemOutcome> {
	const found = await verifyCapture(client, request.paymentToken, request.cents, request.verificationWindowMs, request.timeoutMs);
	const verification: Verification =
		found.finding === 'captured' && sentByOthers()
			? { finding: 'unclear', lastStatus: `${found.details.transactionStatus}, and this n8n sent other captures of this payment lately`, checks: found.checks }
			: found;
	const verified = {
		by: 'look-up',
		// The payment holds what the item asked; which request captured it, a look-up cannot tell.
		...(verification.finding === 'captured' ? { attribution: 'payment' } : {}),
		after: uncertain.message,
		checks: verification.checks,
		windowMs: request.verificationWindowMs,
		lastStatus: verification.finding === 'unclear' ? verification.lastStatus : verification.details.transactionStatus,
	};
	if (verification.finding === 'captured') {
		const { transactionStatus } = verification.details;
		return { ok: true, json: { success: true, paymentToken: request.paymentToken, transactionStatus, amount: request.amount, verified } };
	}
	if (verification.finding === 'unclear') {
		const seen = verification.lastStatus ? `the payment showed ${verification.lastStatus}` : 'no look-up answered';
		const looked = `${seen} after ${verification.checks} look-up${verification.checks === 1 ? '' : 's'}${verification.lastProblem ? ` (${verification.lastProblem})` : ''}.`;
		return captureFailed(request, { ...uncertain, description: `${uncertain.description} Verification: ${looked}` }, { attempts, verified });
	}
	const stillPreAuthorized = report({
		message: 'Letpay showed this payment still pre-authorized at the end of the verification window, so the outcome of the capture is unknown',
		description: `${uncertain.message}. Looked up ${verification.checks} times over ${request.verificationWindowMs / 1000} s, the payment stayed PRE_AUTHORIZED; a capture still in flight at the acquirer can stay invisible longer than that.`,
		httpCode: uncertain.httpCode,
		// "not_captured" would say this request certainly captured nothing, and a capture still in
		// flight at the acquirer can stay invisible longer than any window: look again before
		// sending it a second time.
		outcome: 'unknown',
		retryAdvice: 'check_status_first',
		letpay: uncertain.letpay,
	});
	return captureFailed(request, stillPreAuthorized, { attempts, verified });
}
