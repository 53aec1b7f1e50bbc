import { sleep, type IDataObject } from 'n8n-workflow';

import { lookupFailedReport, report, type LetpayErrorReport } from '../../errors/report';
import { centsOf, letpayAmount } from '../../money/amount';
import type { LetpayClient } from '../../transport/letpayClient';
import { CAPTURED_STATUSES, letpayDate, statusOf, withoutTokens } from '../../validation/letpayAnswer';

/*
 * Letpay's look-up of one payment (GET /transactionDetails/{payment token}), used by Get and
 * around every capture, and the verification that looks a payment up until it settles a question.
 */

/** A payment as GET /transactionDetails describes it, flattened and with ISO 8601 dates. */
export interface PaymentDetails extends IDataObject {
	paymentToken: string;
	transactionStatus: string | null;
	transactionId: string | null;
	externalId: string | null;
	orderAmount: number | null;
	currency: string | null;
	capturedAmount: number | null;
	refundedAmount: number | null;
	cardNumber: string | null;
	cardScheme: string | null;
	expiresAt: string | null;
	errorCode: string | null;
	errorDescription: string | null;
}

/** What a builder needs of a payment (n8n's guideline: at most 10 fields); Simplify off gives all 13. */
const SIMPLE_FIELDS = ['paymentToken', 'transactionStatus', 'orderAmount', 'capturedAmount', 'refundedAmount', 'currency', 'expiresAt', 'errorCode', 'errorDescription'] as const;

/** A payment as an output item: every field, or (Simplify) the ones a builder needs. */
export function paymentItem(details: PaymentDetails, simplify: boolean): IDataObject {
	return simplify ? Object.fromEntries(SIMPLE_FIELDS.map((field) => [field, details[field]])) : { ...details };
}

export type LookupResult =
	| { ok: true; details: PaymentDetails; raw: IDataObject; attempts: number }
	| { ok: false; report: LetpayErrorReport; attempts: number };

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
const group = (body: IDataObject, name: string) => (body[name] && typeof body[name] === 'object' ? (body[name] as IDataObject) : {});

function paymentDetails(paymentToken: string, body: IDataObject): PaymentDetails {
	const general = group(body, 'general_info');
	const payment = group(body, 'payment_info');
	return {
		paymentToken,
		transactionStatus: statusOf(general.transaction_status),
		transactionId: text(general.transaction_id),
		externalId: text(general.external_id),
		orderAmount: letpayAmount(payment.order_amount),
		currency: text(payment.order_currency),
		capturedAmount: letpayAmount(payment.payment_amount),
		refundedAmount: letpayAmount(payment.refunded_amount),
		cardNumber: text(payment.card_number),
		cardScheme: text(payment.card_scheme),
		expiresAt: letpayDate(payment.expiration_date),
		errorCode: text(payment.error_code),
		errorDescription: text(payment.error_description),
	};
}

/**
 * GET /transactionDetails/{payment token}. A look-up changes nothing, so the client repeats it
 * after answers that may pass (5xx, timeouts, resets), up to `maxRetries` times with backoff.
 */
export async function lookUpPayment(client: LetpayClient, paymentToken: string, options: { timeoutMs: number; maxRetries: number }): Promise<LookupResult> {
	const result = await client.send({ method: 'GET', path: `/transactionDetails/${encodeURIComponent(paymentToken)}`, ...options });
	if (!result.ok) return { ok: false, report: lookupFailedReport(result.report, 'this payment'), attempts: result.attempts };
	const body = result.body as IDataObject;
	// An answer without a status is a failed look-up, not a payment.
	if (statusOf(group(body, 'general_info').transaction_status) === null) {
		const unreadable = report({
			message: 'Letpay accepted the request but its answer could not be read, so the outcome is unknown',
			description: 'The answer held no transaction status.',
			httpCode: String(result.status),
			outcome: 'unknown',
			retryAdvice: 'check_status_first',
		});
		return { ok: false, report: lookupFailedReport(unreadable, 'this payment'), attempts: result.attempts };
	}
	// The flat fields come from the scrubbed answer: Letpay's texts may quote a token too.
	const raw = withoutTokens(body, [...result.tokens, String(body.refresh_token ?? '')]) as IDataObject;
	return { ok: true, details: paymentDetails(paymentToken, raw), raw, attempts: result.attempts };
}

/** What the look-ups after an uncertain answer showed. */
export type Verification =
	| { finding: 'captured'; details: PaymentDetails; checks: number }
	| { finding: 'still_pre_authorized'; details: PaymentDetails; checks: number }
	| { finding: 'unclear'; lastStatus: string | null; lastProblem?: string; checks: number };

const FIRST_PAUSE_MS = 500;
/** A look-up needs some time even at the very end of the window. */
const MIN_LOOKUP_MS = 200;

/**
 * Looks the payment up until its status settles the question or the window ends. A look-up shows
 * a status and `payment_amount` (taken here as the captured total: Letpay's docs do not say so),
 * never who captured. So only this settles it: the item asked for the whole pre-authorized amount
 * (`order_amount`) and the payment shows PROCESSING or PAID with exactly that captured: the money
 * moved once, for what the item asked. Anything else (a part captured, DECLINED, PRE_AUTHORIZED
 * through the whole window, no answer) stays unclear: "before" is never known for certain (another
 * worker, another day, a look-up that lags), so a partial total cannot be credited to this request.
 */
export async function verifyCapture(client: LetpayClient, paymentToken: string, askedCents: number, windowMs: number, timeoutMs: number): Promise<Verification> {
	const started = Date.now();
	let checks = 0;
	let last: { status: string | null; problem?: string; details?: PaymentDetails } = { status: null };
	for (let pause = FIRST_PAUSE_MS; ; pause *= 2) {
		const remaining = windowMs - (Date.now() - started);
		const result = await lookUpPayment(client, paymentToken, { timeoutMs: Math.max(MIN_LOOKUP_MS, Math.min(timeoutMs, remaining)), maxRetries: 0 });
		checks++;
		if (result.ok) {
			const { details } = result;
			last = { status: details.transactionStatus, details };
			const status = details.transactionStatus ?? '';
			if (CAPTURED_STATUSES.has(status)) {
				const whole = centsOf(details.orderAmount) === askedCents && centsOf(details.capturedAmount) === askedCents;
				return whole
					? { finding: 'captured', details, checks }
					: { finding: 'unclear', lastStatus: `${status}, ${details.capturedAmount ?? 'an unknown amount'} of ${details.orderAmount ?? 'an unknown amount'} captured`, checks };
			}
			if (status !== 'PRE_AUTHORIZED') return { finding: 'unclear', lastStatus: status || null, checks };
		} else {
			last = { status: last.status, problem: result.report.message, details: last.details };
		}
		const left = windowMs - (Date.now() - started);
		if (left <= 0) break;
		await sleep(Math.min(pause, left));
	}
	if (last.status === 'PRE_AUTHORIZED' && last.details && !last.problem) return { finding: 'still_pre_authorized', details: last.details, checks };
	return { finding: 'unclear', lastStatus: last.status, lastProblem: last.problem, checks };
}
