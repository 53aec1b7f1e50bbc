import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import type { LetpayErrorReport } from '../../errors/explainFailure';
import { lookupFailedReport } from '../../errors/reports';
import type { LetpayClient } from '../../transport/letpayClient';
import { DEFAULT_RESEND_POLICY } from '../../transport/resendPolicy';

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

export type LookupResult =
	| { ok: true; details: PaymentDetails; raw: IDataObject; attempts: number }
	| { ok: false; report: LetpayErrorReport; attempts: number };

export interface LookupOptions {
	timeoutMs: number;
	maxRetries: number;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/** Letpay writes amounts as JSON numbers, sometimes as strings: both become numbers. */
export function amountOf(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
	return null;
}

/** Letpay's `yyyy-MM-dd HH:mm:ss` (no zone given; taken as UTC, like its `+0000` timestamps). */
export function isoDate(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const parsed = DateTime.fromFormat(value, 'yyyy-MM-dd HH:mm:ss', { zone: 'utc' });
	if (parsed.isValid) return parsed.toISO();
	const iso = DateTime.fromISO(value, { zone: 'utc' });
	return iso.isValid ? iso.toUTC().toISO() : value;
}

const group = (body: IDataObject, name: string) => (body[name] && typeof body[name] === 'object' ? (body[name] as IDataObject) : {});

export function paymentDetails(paymentToken: string, body: IDataObject): PaymentDetails {
	const general = group(body, 'general_info');
	const payment = group(body, 'payment_info');
	return {
		paymentToken,
		transactionStatus: text(general.transaction_status),
		transactionId: text(general.transaction_id),
		externalId: text(general.external_id),
		orderAmount: amountOf(payment.order_amount),
		currency: text(payment.order_currency),
		capturedAmount: amountOf(payment.payment_amount),
		refundedAmount: amountOf(payment.refunded_amount),
		cardNumber: text(payment.card_number),
		cardScheme: text(payment.card_scheme),
		expiresAt: isoDate(payment.expiration_date),
		errorCode: text(payment.error_code),
		errorDescription: text(payment.error_description),
	};
}

/** Letpay's answer without its live access token, for builders who ask for the raw answer. */
export function withoutRefreshToken(body: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'refresh_token'));
}

/**
 * GET /transactionDetails/{payment token}. A look-up changes nothing, so it is repeated after
 * answers that may pass (5xx, timeouts, resets), up to `maxRetries` times with backoff.
 */
export async function lookUpPayment(client: LetpayClient, paymentToken: string, options: LookupOptions): Promise<LookupResult> {
	const result = await client.send({
		method: 'GET',
		path: `/transactionDetails/${encodeURIComponent(paymentToken)}`,
		timeoutMs: options.timeoutMs,
		resend: { ...DEFAULT_RESEND_POLICY, maxRetries: options.maxRetries, repeatable: true },
	});
	if (!result.ok) return { ok: false, report: lookupFailedReport(result.report, 'this payment'), attempts: result.attempts };
	const body = result.body as IDataObject;
	return { ok: true, details: paymentDetails(paymentToken, body), raw: withoutRefreshToken(body), attempts: result.attempts };
}
