import type { IDataObject } from 'n8n-workflow';

import type { LetpayErrorReport } from '../../errors/explainFailure';
import type { LetpayClient } from '../../transport/letpayClient';
import type { OperationOutcome } from '../types';
import { lookUpPayment, type PaymentDetails } from './lookup';
import type { CaptureMark } from './captureRecord';
import { CAPTURED_STATUSES, verificationFacts, verifyCapture } from './verify';

/*
 * Letpay has no idempotency key; payment engineers look the payment up before deciding. These
 * are the look-ups around a capture: before it (optional), after an answer that leaves its outcome
 * unknown, and after Letpay says the payment was captured before.
 */
export interface FollowUpRequest {
	paymentToken: string;
	cents: number;
	amount: number;
	timeoutMs: number;
	maxRetries: number;
	verificationWindowMs: number;
	ifAlreadyCaptured: 'fail' | 'output';
}

type Facts = { attempts?: number; paymentToken: string; amount: number };

const cents = (amount: number | null) => (amount === null ? undefined : Math.round(amount * 100));

/** One look-up, never repeated, within the verification window (or the timeout if shorter). */
const followUpLookup = (client: LetpayClient, request: FollowUpRequest) =>
	lookUpPayment(client, request.paymentToken, {
		timeoutMs: Math.min(request.timeoutMs, Math.max(request.verificationWindowMs, 1000)),
		maxRetries: 0,
	});

function failure(report: LetpayErrorReport, facts: Facts, extra: IDataObject = {}): OperationOutcome {
	return { ok: false, report, facts: { ...facts, ...extra } };
}

function report(base: Partial<LetpayErrorReport> & Pick<LetpayErrorReport, 'message' | 'description' | 'outcome' | 'retryAdvice'>): LetpayErrorReport {
	return { letpay: { codes: [], errors: [] }, resendable: false, ...base };
}

/** Letpay said "already captured or expired": what does the payment show? */
export async function afterAlreadyCaptured(client: LetpayClient, request: FollowUpRequest, refusal: LetpayErrorReport, facts: Facts): Promise<OperationOutcome> {
	const lookup = await followUpLookup(client, request);
	if (!lookup.ok) return failure(refusal, facts, { lookupProblem: lookup.report.message });
	const { details } = lookup;
	const status = details.transactionStatus ?? '';
	const seen = { letpayStatus: status || null, capturedAmount: details.capturedAmount };
	if (!CAPTURED_STATUSES.has(status)) {
		// Letpay's refusal stands (captured before, or expired); the look-up only adds what it shows.
		return failure({ ...refusal, message: `${refusal.message} (Letpay now shows ${status || 'no status'})` }, facts, seen);
	}
	const capturedBefore = `This payment was captured before (${[details.capturedAmount ?? 'an unknown amount', details.currency].filter(Boolean).join(' ')}, ${status})`;
	return await afterLookedUpCapture(request, details, { ...refusal, message: capturedBefore }, facts);
}

/**
 * The capture's answer left its outcome unknown: look the payment up within the window. A look-up
 * shows the payment's state, never who captured, so a capture is reported only when the money
 * moved once for what the item asked: the whole pre-authorized amount, captured (see verify.ts).
 */
export async function afterUncertainAnswer(
	client: LetpayClient,
	request: FollowUpRequest,
	uncertain: LetpayErrorReport,
	facts: Facts,
	/**
	 * This process sent other captures of the payment lately, before this one or while it was
	 * looked up: the total could be theirs. Asked once the look-up is done.
	 */
	sentByOthers: () => boolean,
): Promise<OperationOutcome> {
	const found = await verifyCapture(client, request.paymentToken, request.cents, {
		windowMs: request.verificationWindowMs,
		timeoutMs: request.timeoutMs,
	});
	const verification: typeof found =
		found.finding === 'captured' && sentByOthers()
			? { finding: 'unclear', lastStatus: `${found.details.transactionStatus}, and this n8n sent other captures of this payment lately`, checks: found.checks }
			: found;
	const verified = verificationFacts(verification, request.verificationWindowMs, uncertain.message);
	if (verification.finding === 'captured') {
		// The item asked for the whole pre-authorized amount, and that is what the payment holds.
		const { details } = verification;
		return { ok: true, json: { success: true, paymentToken: request.paymentToken, transactionStatus: details.transactionStatus, amount: request.amount, verified } };
	}
	if (verification.finding === 'still_pre_authorized') {
		return failure(
			report({
				message: 'Letpay showed this payment still pre-authorized at the end of the verification window, so the outcome of the capture is unknown',
				description: `${uncertain.message}. Looked up ${verification.checks} times over ${request.verificationWindowMs / 1000} s, the payment stayed PRE_AUTHORIZED; a capture still in flight at the acquirer can stay invisible longer than that.`,
				httpCode: uncertain.httpCode,
				// "not_captured" would say this request certainly captured nothing: a look-up cannot.
				outcome: 'unknown',
				// A capture still in flight at the acquirer can stay invisible longer than any window:
				// look again before sending it a second time.
				retryAdvice: 'check_status_first',
				letpay: uncertain.letpay,
			}),
			facts,
			{ verified },
		);
	}
	return failure({ ...uncertain, description: `${uncertain.description} Verification: ${describeUnclear(verification)}` }, facts, { verified });
}

function describeUnclear(verification: Extract<Awaited<ReturnType<typeof verifyCapture>>, { finding: 'unclear' }>): string {
	const status = verification.lastStatus ? `the payment showed ${verification.lastStatus}` : 'no look-up answered';
	return `${status} after ${verification.checks} look-up${verification.checks === 1 ? '' : 's'}${verification.lastProblem ? ` (${verification.lastProblem})` : ''}.`;
}

/**
 * Check Before Capture, first step: this process sent a capture of the payment lately (in flight,
 * captured, or of unknown outcome). Letpay may not show it yet, so nothing is sent.
 */
export function sentByThisProcess(marks: CaptureMark[], facts: Facts): OperationOutcome | undefined {
	const latest = marks.at(-1);
	if (!latest) return undefined;
	const minutes = Math.max(1, Math.round((Date.now() - latest.at) / 60_000));
	const state = { in_flight: 'still in flight', captured: 'captured', unknown: 'outcome unknown' }[latest.state];
	return failure(
		report({
			message: `This n8n sent a capture of this payment within the last ${minutes} minute${minutes === 1 ? '' : 's'} (${state}), so nothing was sent`,
			description: 'Checked before capturing. Letpay may not show a capture that is still in flight, so a payment this n8n sent lately is never sent again.',
			outcome: 'handled_by_earlier_item',
			retryAdvice: latest.state === 'captured' ? 'never' : 'check_status_first',
		}),
		facts,
	);
}

/**
 * Check Before Capture, second step: only a PRE_AUTHORIZED payment is sent. A captured one is
 * "already captured", whatever If Already Captured says: that option answers Letpay's own refusal.
 */
export async function checkBeforeCapture(
	client: LetpayClient,
	request: FollowUpRequest,
	facts: Facts,
): Promise<{ proceed: true } | { proceed: false; outcome: OperationOutcome }> {
	// One look-up, bounded by the timeout: nothing has been sent, and the item may simply run again.
	const lookup = await lookUpPayment(client, request.paymentToken, { timeoutMs: request.timeoutMs, maxRetries: 0 });
	if (!lookup.ok) {
		const notSent = {
			...lookup.report,
			message: `Could not check the payment before capturing it, so nothing was sent: ${lookup.report.message}`,
			outcome: 'not_captured' as const,
		};
		return { proceed: false, outcome: failure(notSent, facts) };
	}
	const status = lookup.details.transactionStatus ?? '';
	if (status === 'PRE_AUTHORIZED') return { proceed: true };
	if (CAPTURED_STATUSES.has(status)) {
		const seen = { letpayStatus: status, capturedAmount: lookup.details.capturedAmount };
		return { proceed: false, outcome: failure(alreadyCapturedReport(lookup.details), facts, seen) };
	}
	return {
		proceed: false,
		outcome: failure(
			report({
				message: `This payment is not pre-authorized (Letpay shows ${status || 'no status'}), so nothing was sent`,
				description: 'Checked before capturing. Only a pre-authorized payment can be captured.',
				outcome: 'not_captured',
				retryAdvice: 'never',
			}),
			facts,
			{ letpayStatus: status || null },
		),
	};
}

function alreadyCapturedReport(details: PaymentDetails): LetpayErrorReport {
	return report({
		message: 'This payment was already captured',
		description: `Checked before capturing: Letpay shows ${details.transactionStatus}, ${details.capturedAmount ?? 'an unknown amount'} captured. Nothing was sent.`,
		outcome: 'already_captured_or_expired',
		retryAdvice: 'never',
	});
}

async function afterLookedUpCapture(request: FollowUpRequest, details: PaymentDetails, refusal: LetpayErrorReport, facts: Facts): Promise<OperationOutcome> {
	const seen = { letpayStatus: details.transactionStatus, capturedAmount: details.capturedAmount };
	// "Output as captured" only for exactly this amount: anything else is not what the item asked for.
	if (request.ifAlreadyCaptured === 'output' && cents(details.capturedAmount) === request.cents) {
		return { ok: true, json: { success: true, alreadyCaptured: true, paymentToken: request.paymentToken, transactionStatus: details.transactionStatus, amount: request.amount, ...seen } };
	}
	return failure(refusal, facts, seen);
}
