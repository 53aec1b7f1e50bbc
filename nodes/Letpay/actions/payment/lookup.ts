import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { explainFailure, type LetpayErrorReport } from '../../errors/explainFailure';
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
/** Letpay's statuses are upper case; an answer in another case still names the same status. */
export const statusOf = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim().toUpperCase() : null);

/** Letpay writes amounts as JSON numbers, sometimes as strings: both become numbers. */
export function amountOf(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
	return null;
}

/** Letpay's `yyyy-MM-dd HH:mm:ss` (no zone given; taken as UTC, like its `+0000` timestamps). */
export function isoDate(value: unknown): string | null {
	if (typeof value !== 'string' || value.trim() === '') return null;
	const trimmed = value.trim();
	// Java's Timestamp writes fractions too: 2026-11-29 10:00:00.0
	for (const format of ['yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd HH:mm:ss.S', 'yyyy-MM-dd HH:mm:ss.SSS']) {
		const parsed = DateTime.fromFormat(trimmed, format, { zone: 'utc' });
		if (parsed.isValid) return parsed.toISO();
	}
	const iso = DateTime.fromISO(trimmed.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'), { zone: 'utc' });
	return iso.isValid ? iso.toUTC().toISO() : null;
}

const group = (body: IDataObject, name: string) => (body[name] && typeof body[name] === 'object' ? (body[name] as IDataObject) : {});

export function paymentDetails(paymentToken: string, body: IDataObject): PaymentDetails {
	const general = group(body, 'general_info');
	const payment = group(body, 'payment_info');
	return {
		paymentToken,
		transactionStatus: statusOf(general.transaction_status),
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

/**
 * Letpay's answer for builders who ask for it: without `refresh_token`, and without any copy of
 * an access token (the one sent, or the refreshed one) anywhere in it.
 */
export function withoutTokens(body: IDataObject, tokens: string[]): IDataObject {
	const secrets = tokens.filter((token) => token.length >= 8);
	// Letpay's answers are a few levels deep; an answer nested thousands of levels would overflow
	// the stack here (and in n8n, which copies and saves the item): it is cut off.
	const scrub = (value: unknown, depth: number): unknown => {
		if (typeof value === 'string') return secrets.reduce((clean, secret) => clean.split(secret).join('***'), value);
		if (value && typeof value === 'object' && depth >= MAX_ANSWER_DEPTH) return `[nested deeper than ${MAX_ANSWER_DEPTH} levels]`;
		if (Array.isArray(value)) return value.map((inner) => scrub(inner, depth + 1));
		if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, scrub(inner, depth + 1)]));
		return value;
	};
	return scrub(Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'refresh_token')), 0) as IDataObject;
}

const MAX_ANSWER_DEPTH = 32;

function unreadableLookup(status: number, body: IDataObject, timeoutMs: number, environment: string, secrets: string[]): LetpayErrorReport | undefined {
	const context = { timeoutMs, environment, secrets };
	if (Array.isArray(body.errors) && body.errors.length > 0) return explainFailure({ status, body, headers: {}, message: '' }, context);
	if (statusOf(group(body, 'general_info').transaction_status) === null) {
		return explainFailure({ status, body: '', headers: {}, message: 'no transaction status' }, context);
	}
	return undefined;
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
	const tokens = [...result.tokens, String(body.refresh_token ?? '')];
	// An answer with Letpay's error envelope, or without a status, is a failed look-up, not a payment.
	const failed = unreadableLookup(result.status, body, options.timeoutMs, client.environment, tokens);
	if (failed) return { ok: false, report: lookupFailedReport(failed, 'this payment'), attempts: result.attempts };
	// The flat fields come from the scrubbed answer: Letpay's texts may quote a token too.
	const raw = withoutTokens(body, tokens);
	return { ok: true, details: paymentDetails(paymentToken, raw), raw, attempts: result.attempts };
}
