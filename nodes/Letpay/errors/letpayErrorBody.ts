import { DateTime } from 'luxon';

import { parseJsonObject } from '../transport/jsonBody';

/** Letpay's error envelope, as documented on every endpoint. */
export interface LetpayErrorBody {
	timestamp?: string;
	status?: number;
	error?: string;
	message?: string;
	path?: string;
	errors?: Array<{ code?: string; description?: string }>;
	refresh_token?: string;
}

export interface LetpayErrorDetails {
	status?: number;
	codes: string[];
	errors: Array<{ code: string; description: string }>;
	message?: string;
	/** Letpay's own timestamp converted to ISO-8601 (Letpay writes `+0000` without a colon). */
	timestamp?: string;
}

/**
 * Letpay documents codes and texts as strings. Anything else is not read as text: String() of
 * an object from JSON such as {"toString": 1} throws, and would end the whole run.
 */
function plainText(value: unknown): string {
	return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

export function parseLetpayBody(body: unknown): LetpayErrorBody | undefined {
	return parseJsonObject(body) as LetpayErrorBody | undefined;
}

export function toIsoTimestamp(timestamp: unknown): string | undefined {
	if (typeof timestamp !== 'string') return undefined;
	const parsed = DateTime.fromISO(timestamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'), {
		zone: 'utc',
	});
	return parsed.isValid ? (parsed.toUTC().toISO() ?? undefined) : timestamp;
}

/**
 * Only Letpay's diagnostic fields: `refresh_token` (a live access token) never gets through, and
 * neither does any secret an answer repeats in its texts.
 */
export function extractLetpayDetails(body: LetpayErrorBody | undefined, secrets: string[] = []): LetpayErrorDetails {
	const hidden = [body?.refresh_token, ...secrets].filter((secret): secret is string => typeof secret === 'string' && secret.length >= 8);
	const scrub = (text: string) => hidden.reduce((clean, secret) => clean.split(secret).join('***'), text);
	// Letpay documents a list; a single object is read as a list of one, never ignored.
	const listed = body?.errors && typeof body.errors === 'object' && !Array.isArray(body.errors) ? [body.errors] : body?.errors;
	const errors = (Array.isArray(listed) ? listed : [])
		.filter((entry) => entry && typeof entry === 'object')
		.map((entry) => ({ code: plainText(entry.code), description: scrub(plainText(entry.description)) }));
	return {
		status: typeof body?.status === 'number' ? body.status : undefined,
		codes: errors.map((entry) => entry.code).filter((code) => code !== ''),
		errors,
		message: typeof body?.message === 'string' ? scrub(body.message) : undefined,
		timestamp: toIsoTimestamp(body?.timestamp),
	};
}
