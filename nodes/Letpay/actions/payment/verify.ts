import { sleep, type IDataObject } from 'n8n-workflow';

import type { LetpayClient } from '../../transport/letpayClient';
import { lookUpPayment, type PaymentDetails } from './lookup';

/** Letpay statuses of a payment whose capture was taken. */
export const CAPTURED_STATUSES = new Set(['PROCESSING', 'PAID']);

export interface VerificationSettings {
	/** How long to keep looking after an uncertain answer. */
	windowMs: number;
	/** Deadline of one look-up. */
	timeoutMs: number;
}

/** What the look-ups after an uncertain answer showed. */
export type Verification =
	| { finding: 'captured'; details: PaymentDetails; checks: number }
	| { finding: 'still_pre_authorized'; details: PaymentDetails; checks: number }
	| { finding: 'unclear'; lastStatus: string | null; lastProblem?: string; checks: number };

const FIRST_PAUSE_MS = 500;
/** A look-up needs some time even at the very end of the window. */
const MIN_LOOKUP_MS = 200;
const cents = (amount: number | null) => (amount === null ? undefined : Math.round(amount * 100));

/**
 * Looks the payment up until its status settles the question or the window ends. A look-up shows
 * a status and `payment_amount` (taken here as the captured total: Letpay's docs do not say so),
 * never who captured. So only this settles it: the item asked for the whole pre-authorized amount
 * (`order_amount`) and the payment shows PROCESSING or PAID with exactly that captured: the money
 * moved once, for what the item asked. Anything else (a part captured, DECLINED, PRE_AUTHORIZED
 * through the whole window, no answer) stays unclear: "before" is never known for certain (another
 * worker, another day, a look-up that lags), so a partial total cannot be credited to this request.
 */
export async function verifyCapture(
	client: LetpayClient,
	paymentToken: string,
	/** What this item asked to capture. */
	askedCents: number,
	settings: VerificationSettings,
): Promise<Verification> {
	const started = Date.now();
	let checks = 0;
	let last: { status: string | null; problem?: string; details?: PaymentDetails } = { status: null };
	for (let pause = FIRST_PAUSE_MS; ; pause *= 2) {
		const remaining = settings.windowMs - (Date.now() - started);
		const result = await lookUpPayment(client, paymentToken, { timeoutMs: Math.max(MIN_LOOKUP_MS, Math.min(settings.timeoutMs, remaining)), maxRetries: 0 });
		checks++;
		if (result.ok) {
			const { details } = result;
			last = { status: details.transactionStatus, details };
			const status = details.transactionStatus ?? '';
			if (CAPTURED_STATUSES.has(status)) {
				const whole = cents(details.orderAmount) === askedCents && cents(details.capturedAmount) === askedCents;
				return whole
					? { finding: 'captured', details, checks }
					: { finding: 'unclear', lastStatus: `${status}, ${details.capturedAmount ?? 'an unknown amount'} of ${details.orderAmount ?? 'an unknown amount'} captured`, checks };
			}
			if (status !== 'PRE_AUTHORIZED') return { finding: 'unclear', lastStatus: status || null, checks };
		} else {
			last = { status: last.status, problem: result.report.message, details: last.details };
		}
		const left = settings.windowMs - (Date.now() - started);
		if (left <= 0) break;
		await sleep(Math.min(pause, left));
	}
	if (last.status === 'PRE_AUTHORIZED' && last.details && !last.problem) {
		return { finding: 'still_pre_authorized', details: last.details, checks };
	}
	return { finding: 'unclear', lastStatus: last.status, lastProblem: last.problem, checks };
}

/** What an item says about how its outcome was verified. */
export function verificationFacts(verification: Verification, windowMs: number, after: string): IDataObject {
	return {
		by: 'look-up',
		// The payment holds what the item asked; which request captured it, a look-up cannot tell.
		...(verification.finding === 'captured' ? { attribution: 'payment' } : {}),
		after,
		checks: verification.checks,
		windowMs,
		lastStatus: verification.finding === 'unclear' ? verification.lastStatus : verification.details.transactionStatus,
	};
}
