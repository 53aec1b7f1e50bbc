import { createHash, timingSafeEqual } from 'crypto';

import { checkPaymentToken, paymentKey } from '../Letpay/validation/input';
import { statusOf } from '../Letpay/validation/letpayAnswer';

/*
 * Reading a notification Letpay (or anyone) sent to the trigger's URL. Letpay documents neither
 * its body nor a signature, so nothing in it is taken as a fact: it only names the payment to
 * look up, and what it claims is kept as a claim.
 */

/** Where Letpay's fields for the payment are looked for: the names its API uses, in any of its spellings. */
const TOKEN_FIELDS = ['payment_token', 'paymentToken', 'token'];
const STATUS_FIELDS = ['transaction_status', 'transactionStatus', 'status'];

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The body's top level and each object one level down, where Letpay-like fields may sit. */
function levels(body: unknown): Json[] {
	if (!isObject(body)) return [];
	return [body, ...Object.values(body).filter(isObject)];
}

/** The value at a dotted path (`data.payment.id`), own properties only. */
function atPath(body: unknown, path: string): unknown {
	let value: unknown = body;
	for (const key of path.split('.').filter((part) => part !== '')) {
		if (!isObject(value) || !Object.hasOwn(value, key)) return undefined;
		value = value[key];
	}
	return value;
}

export type FoundPayment = { found: true; paymentToken: string } | { found: false; reason: 'none' | 'conflict' };

/**
 * The payment a notification names: the builder's Payment Field if set, else `payment_token`,
 * `paymentToken` or `token` at the top level or one object down, or a query parameter of those
 * names. Only values that pass the Payment Token rules count; two different payments (in any
 * letter case) in one notification name none.
 */
export function findPayment(body: unknown, query: Json, paymentField = ''): FoundPayment {
	const candidates =
		paymentField.trim() !== ''
			? [atPath(body, paymentField.trim())]
			: [...levels(body).flatMap((level) => TOKEN_FIELDS.map((field) => (Object.hasOwn(level, field) ? level[field] : undefined))), ...TOKEN_FIELDS.map((field) => query[field])];
	const valid = new Map<string, string>();
	for (const candidate of candidates) {
		const check = checkPaymentToken(candidate);
		if (check.valid && !valid.has(paymentKey(check.token))) valid.set(paymentKey(check.token), check.token);
	}
	if (valid.size > 1) return { found: false, reason: 'conflict' };
	const [paymentToken] = valid.values();
	return paymentToken === undefined ? { found: false, reason: 'none' } : { found: true, paymentToken };
}

/** The status a notification claims, if it is one of Letpay's (any other text is no claim): never emitted as a fact. */
export function claimedStatus(body: unknown): string | null {
	for (const level of levels(body)) {
		for (const field of STATUS_FIELDS) {
			const status = Object.hasOwn(level, field) ? statusOf(level[field]) : null;
			if (status !== null && status in STAGE) return status;
		}
	}
	return null;
}

/**
 * The Statuses setting as a filter: undefined keeps every status; otherwise the statuses chosen,
 * in any letter case. A setting that names no status of Letpay's (a typo, an expression that
 * gives something else) keeps none: a filter never opens by mistake.
 */
export function statusFilter(setting: unknown): Set<string> | undefined {
	const chosen = (Array.isArray(setting) ? setting : typeof setting === 'string' ? setting.split(',') : []).map(statusOf).filter((status): status is string => status !== null);
	const empty = setting === undefined || setting === null || setting === '' || (Array.isArray(setting) && setting.length === 0);
	return empty ? undefined : new Set(chosen.filter((status) => status in STAGE));
}

/**
 * How far along its life a payment is: a look-up that shows an earlier state than a notification
 * claims may lag behind Letpay (the trigger then looks again, within its Settle Window).
 */
const STAGE: Record<string, number> = { PRE_AUTHORIZED: 0, PROCESSING: 1, PAID: 2, DECLINED: 2, CANCELED: 2, REFUNDED: 3, DISPUTE: 3 };

/** True when `shown` (a look-up) is an earlier stage than `claimed` (a notification), both known statuses. */
export function isEarlierThan(shown: string | null, claimed: string | null): boolean {
	if (shown === null || claimed === null || !(shown in STAGE) || !(claimed in STAGE)) return false;
	return STAGE[shown] < STAGE[claimed];
}

/** Compares a caller's secret with the stored one in constant time (both hashed: equal lengths, no length leak). */
export function sameSecret(given: unknown, expected: string): boolean {
	if (typeof given !== 'string') return false;
	const digest = (text: string) => createHash('sha256').update(text).digest();
	return timingSafeEqual(digest(given), digest(expected));
}

/** Text that looks like a secret: a UUID, a JWT, or 32 or more characters of a token alphabet. */
const TOKEN_LIKE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}|[A-Za-z0-9_\-+/=]{32,}/gi;
const SECRET_NAME = /token|secret|key|password|auth|session|signature/i;

/** `text` with `secrets` and anything token-like replaced by `***`. */
function scrubText(text: string, secrets: string[]): string {
	const known = secrets.reduce((clean, secret) => (secret.length >= 8 ? clean.split(secret).join('***') : clean), text);
	return known.replace(TOKEN_LIKE, '***');
}

/**
 * The notification's body for builders who ask for it, without anything that could be a secret:
 * fields named like a token, key, secret, password or session, keys that look like a token, the
 * credential's own values (`secrets`), and token-like text anywhere in a string.
 */
export function withoutTokenLikeValues(body: unknown, secrets: string[] = [], depth = 0): unknown {
	if (depth > 16) return '[nested too deep]';
	if (Array.isArray(body)) return body.map((value) => withoutTokenLikeValues(value, secrets, depth + 1));
	if (isObject(body)) {
		const kept = Object.entries(body).filter(([key]) => !SECRET_NAME.test(key) && scrubText(key, secrets) === key);
		return Object.fromEntries(kept.map(([key, value]) => [key, withoutTokenLikeValues(value, secrets, depth + 1)]));
	}
	return typeof body === 'string' ? scrubText(body, secrets) : body;
}
