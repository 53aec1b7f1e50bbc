import { DateTime } from 'luxon';

/*
 * How this node reads what comes back from a request, each rule once: Letpay's answers (JSON
 * bodies, the error envelope, statuses, dates) and the errors n8n's request helpers throw. None of
 * it is trusted: any field may be missing, of another type, or quote a secret.
 */

/**
 * A response body as a JSON object, whatever form the HTTP client handed it over in (text, or
 * already parsed). Anything else (HTML, an empty body, a JSON array) is undefined.
 */
export function parseJsonObject(raw: unknown): Record<string, unknown> | undefined {
	let parsed = raw;
	if (typeof raw === 'string') {
		try {
			parsed = JSON.parse(raw);
		} catch {
			return undefined;
		}
	}
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}

/** Header names in lower case (HTTP clients differ), string and number values only. */
export function lowerCaseHeaders(headers: unknown): Record<string, string> {
	if (!headers || typeof headers !== 'object') return {};
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
		if (typeof value === 'string' || typeof value === 'number') result[name.toLowerCase()] = String(value);
	}
	return result;
}

/** `text` with every secret of 8 characters or more replaced by `***`. */
export function scrubSecrets(text: string, secrets: Array<string | undefined>): string {
	return secrets.reduce<string>((clean, secret) => (typeof secret === 'string' && secret.length >= 8 ? clean.split(secret).join('***') : clean), text);
}

/**
 * A URL fit to show in a message: user info replaced by `***@`, built from the parsed URL so that
 * an `@`, `/` or `#` in a password cannot cut the redaction short; a URL that does not parse is
 * not shown at all (it may hold a password in a form nothing can redact reliably).
 */
export function redactUrl(url: string): string {
	// A path (a relative redirect) holds no user info; a protocol-relative URL (//host) may.
	if (/^\/(?!\/)/.test(url)) return url;
	const protocolRelative = url.startsWith('//');
	let parsed: URL;
	try {
		parsed = protocolRelative ? new URL(`https:${url}`) : new URL(url);
	} catch {
		return '(a URL that does not parse, not shown)';
	}
	const userInfo = parsed.username || parsed.password ? '***@' : '';
	const path = parsed.pathname === '/' && !url.endsWith('/') ? '' : parsed.pathname;
	return `${protocolRelative ? '' : parsed.protocol}//${userInfo}${parsed.host}${path}${parsed.search}`;
}

const MAX_ANSWER_DEPTH = 32;

/**
 * Letpay's answer for builders who ask for it: without `refresh_token`, and without any copy of
 * an access token (the one sent, or the refreshed one) anywhere in it.
 */
export function withoutTokens(body: Record<string, unknown>, tokens: string[]): Record<string, unknown> {
	// Letpay's answers are a few levels deep; an answer nested thousands of levels would overflow
	// the stack here (and in n8n, which copies and saves the item): it is cut off.
	const scrub = (value: unknown, depth: number): unknown => {
		if (typeof value === 'string') return scrubSecrets(value, tokens);
		if (value && typeof value === 'object' && depth >= MAX_ANSWER_DEPTH) return `[nested deeper than ${MAX_ANSWER_DEPTH} levels]`;
		if (Array.isArray(value)) return value.map((inner) => scrub(inner, depth + 1));
		if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, scrub(inner, depth + 1)]));
		return value;
	};
	return scrub(Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'refresh_token')), 0) as Record<string, unknown>;
}

/** Letpay's statuses are upper case; an answer in another case still names the same status. */
export const statusOf = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim().toUpperCase() : null);

/** Statuses of a payment whose capture was taken: accepted (PROCESSING), or already PAID. */
export const CAPTURED_STATUSES: ReadonlySet<string> = new Set(['PROCESSING', 'PAID']);

const LETPAY_DATE_FORMATS = ['yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd HH:mm:ss.S', 'yyyy-MM-dd HH:mm:ss.SSS'];

/**
 * A date of Letpay's in ISO 8601, or null. Letpay writes `yyyy-MM-dd HH:mm:ss` (no zone given:
 * taken as UTC, like its other times; Java's Timestamp adds fractions, `.0`) and timestamps such
 * as `2026-11-29T10:00:00.000+0000` (an offset without a colon, which ISO parsers refuse).
 */
export function letpayDate(value: unknown): string | null {
	if (typeof value !== 'string' || value.trim() === '') return null;
	const trimmed = value.trim();
	for (const format of LETPAY_DATE_FORMATS) {
		const parsed = DateTime.fromFormat(trimmed, format, { zone: 'utc' });
		if (parsed.isValid) return parsed.toISO();
	}
	const iso = DateTime.fromISO(trimmed.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'), { zone: 'utc' });
	return iso.isValid ? iso.toUTC().toISO() : null;
}

/** Letpay's error envelope, as documented on every endpoint. */
interface LetpayErrorBody {
	timestamp?: string;
	status?: number;
	message?: string;
	errors?: unknown;
	refresh_token?: string;
}

export interface LetpayErrorDetails {
	status?: number;
	codes: string[];
	errors: Array<{ code: string; description: string }>;
	message?: string;
	/** Letpay's own timestamp in ISO 8601. */
	timestamp?: string;
}

/**
 * Letpay documents codes and texts as strings. Anything else is not read as text: String() of
 * an object from JSON such as {"toString": 1} throws, and would end the whole run.
 */
function plainText(value: unknown): string {
	return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** True when a body has an `errors` field of any kind but an empty list: it may say more than its status. */
export function holdsErrors(body: unknown): boolean {
	const errors = parseJsonObject(body)?.errors;
	return errors !== undefined && !(Array.isArray(errors) && errors.length === 0);
}

/**
 * Only Letpay's diagnostic fields of an answer: `refresh_token` (a live access token) never gets
 * through, and neither does any secret an answer repeats in its texts.
 */
export function extractLetpayDetails(raw: unknown, secrets: string[] = []): LetpayErrorDetails {
	const body = parseJsonObject(raw) as LetpayErrorBody | undefined;
	const scrub = (text: string) => scrubSecrets(text, [body?.refresh_token, ...secrets]);
	// Letpay documents a list; a single object is read as a list of one, never ignored.
	const listed = body?.errors && typeof body.errors === 'object' && !Array.isArray(body.errors) ? [body.errors] : body?.errors;
	const errors = (Array.isArray(listed) ? (listed as Array<Record<string, unknown>>) : [])
		.filter((entry) => entry && typeof entry === 'object')
		// Every text, codes and timestamps too: an answer may quote a token anywhere.
		.map((entry) => ({ code: scrub(plainText(entry.code)), description: scrub(plainText(entry.description)) }));
	const timestamp = body?.timestamp;
	return {
		status: typeof body?.status === 'number' ? body.status : undefined,
		codes: errors.map((entry) => entry.code).filter((code) => code !== ''),
		errors,
		message: typeof body?.message === 'string' ? scrub(body.message) : undefined,
		timestamp: typeof timestamp === 'string' ? (letpayDate(timestamp) ?? scrub(timestamp)) : undefined,
	};
}

/**
 * What an HTTP attempt that did not succeed tells us, read from whatever n8n's request helpers
 * threw. n8n 2.x wraps the HTTP client's error as `cause`; n8n 1.x drops an Error `cause` and
 * keeps only `httpCode` (the status, or the socket code such as ECONNREFUSED) and `context.data`
 * (a JSON body). Both shapes are read here, so nothing else depends on the version.
 */
export interface HttpFailure {
	status?: number;
	body?: unknown;
	headers: Record<string, string>;
	/** Socket or client error code such as ECONNREFUSED, ECONNRESET or ECONNABORTED. */
	code?: string;
	message: string;
	/** Set when the credential's preAuthentication refused to produce a token: its own message. */
	credentialProblem?: string;
	/** The credential error's code, e.g. LETPAY_NOT_SENT. */
	credentialErrorCode?: string;
}

/** `errorCode` of the credential's own errors; n8n copies it into `httpCode` when it wraps them. */
export const CREDENTIAL_ERROR_PREFIX = 'LETPAY_';

interface ErrorLike {
	message?: unknown;
	code?: unknown;
	errorCode?: unknown;
	httpCode?: unknown;
	cause?: unknown;
	context?: { data?: unknown };
	response?: { status?: unknown; data?: unknown; headers?: unknown };
}

const MAX_DEPTH = 5;
const SOCKET_CODE = /^E[A-Z_]+$/;
const HTTP_STATUS = /^\d{3}$/;

function errorChain(error: unknown): ErrorLike[] {
	const chain: ErrorLike[] = [];
	let current: unknown = error;
	while (current && typeof current === 'object' && chain.length < MAX_DEPTH) {
		chain.push(current as ErrorLike);
		current = (current as ErrorLike).cause;
	}
	return chain;
}

function firstMatch(chain: ErrorLike[], pick: (link: ErrorLike) => unknown, pattern: RegExp): string | undefined {
	for (const link of chain) {
		const value = pick(link);
		if (typeof value === 'string' && pattern.test(value)) return value;
	}
	return undefined;
}

export function readHttpFailure(error: unknown): HttpFailure {
	const chain = errorChain(error);
	const deepest = chain[chain.length - 1];
	const message = typeof deepest?.message === 'string' ? deepest.message : String(error);

	const isOwn = (code: unknown) => typeof code === 'string' && code.startsWith(CREDENTIAL_ERROR_PREFIX);
	const ownError = chain.find((link) => isOwn(link.errorCode) || isOwn(link.httpCode));
	if (ownError) {
		const code = isOwn(ownError.errorCode) ? ownError.errorCode : ownError.httpCode;
		return { headers: {}, message, credentialProblem: String(ownError.message), credentialErrorCode: String(code) };
	}

	const withResponse = chain.find((link) => typeof link.response?.status === 'number');
	const statusCode = firstMatch(chain, (link) => link.httpCode, HTTP_STATUS);
	const socketCode = firstMatch(chain, (link) => link.code, SOCKET_CODE) ?? firstMatch(chain, (link) => link.httpCode, SOCKET_CODE);
	const status = (withResponse?.response?.status as number | undefined) ?? (statusCode ? Number(statusCode) : undefined);
	return {
		status,
		body: withResponse ? withResponse.response?.data : chain.find((link) => link.context?.data !== undefined)?.context?.data,
		headers: lowerCaseHeaders(withResponse?.response?.headers),
		code: status === undefined ? socketCode : undefined,
		message,
	};
}
