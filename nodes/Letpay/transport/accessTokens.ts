import { createHash, createHmac } from 'crypto';

/*
 * One sign-in per expiry, however many captures are in flight. Each account (base URL, API key
 * and secret) has one current access token in this process (n8n's credential store, shared by
 * all n8n processes, holds the last token any of them got). A request that Letpay answers with a
 * plain 401 reports the token it carried; only if that is still the current token is it dropped,
 * so a late 401 for a token replaced moments ago reuses the replacement instead of signing in
 * again (if Letpay keeps only the newest token valid, needless sign-ins would cancel each other).
 */
interface AccountTokens {
	current?: string;
	/** Tokens Letpay refused lately: never taken up again from a late answer or from the store. */
	refused?: string[];
	/** A sign-in under way: everyone who needs a token meanwhile waits for this one. */
	pending?: Promise<string>;
	/** The latest tokens this process sent or received for the account, newest first: never to be shown. */
	seen?: Array<{ token: string; at: number }>;
}

/**
 * A token lives five minutes: every token seen in the last ten is kept (with rotating refresh
 * tokens, one per answer), up to a cap far above any real rate of answers.
 */
const SEEN_FOR_MS = 10 * 60_000;
const SEEN_KEPT = 5_000;

/** Remembers tokens as secrets of the account. */
function see(entry: AccountTokens, ...tokens: Array<string | undefined>) {
	const fresh = tokens.filter((token): token is string => typeof token === 'string' && token !== '');
	if (fresh.length === 0) return;
	const now = Date.now();
	const earlier = (entry.seen ?? []).filter((seen) => !fresh.includes(seen.token) && now - seen.at <= SEEN_FOR_MS);
	entry.seen = [...fresh.map((token) => ({ token, at: now })), ...earlier].slice(0, SEEN_KEPT);
}

/** Every access token of the account this process has lately sent or received: what an answer must never pass on. */
export function tokensSeen(key: string): string[] {
	return (accounts.get(key)?.seen ?? []).map((seen) => seen.token);
}

const accounts = new Map<string, AccountTokens>();

export function accountKey(baseUrl: string, apiKey: string, apiSecret: string): string {
	return createHash('sha256').update([baseUrl, apiKey, apiSecret].join('\u0000')).digest('hex');
}

/** The token to send now for this account, if this process holds one. */
export function currentAccessToken(key: string): string | undefined {
	return accounts.get(key)?.current;
}

/** Letpay refused `token` with a plain 401. */
export function rejectAccessToken(key: string, token: string): void {
	const entry = accounts.get(key) ?? {};
	accounts.set(key, entry);
	see(entry, token);
	if (entry.current === token) entry.current = undefined;
	// A 200 decided before the refusal may still arrive carrying this token as refresh_token.
	entry.refused = [token, ...(entry.refused ?? []).filter((earlier) => earlier !== token)].slice(0, REFUSED_KEPT);
}

const REFUSED_KEPT = 8;

function wasRefused(entry: AccountTokens, token: string): boolean {
	return entry.refused?.includes(token) === true;
}

/**
 * Letpay answers with `refresh_token`, "updated access token for next calls": it becomes the
 * current token unless the account moved on to another one meanwhile.
 */
export function adoptRefreshedToken(key: string, sent: string, refreshed: string): void {
	const entry = accounts.get(key) ?? {};
	accounts.set(key, entry);
	see(entry, refreshed, sent);
	if (sent !== '' && refreshed !== '' && !wasRefused(entry, refreshed) && (entry.current === undefined || entry.current === sent)) entry.current = refreshed;
}

/**
 * A token found in n8n's credential store that this process did not get itself: another n8n
 * process (a queue-mode worker) signed in for the same credential. It becomes the current token
 * unless this process has moved on to one of its own meanwhile.
 */
export function adoptStoredToken(key: string, token: string): void {
	const entry = accounts.get(key) ?? {};
	accounts.set(key, entry);
	see(entry, token);
	if (entry.current === undefined && token !== '' && !wasRefused(entry, token)) entry.current = token;
}

/** The current token, or the one being fetched, or a new one from `signIn`. */
export async function accessTokenFor(key: string, signIn: () => Promise<string>): Promise<string> {
	const entry = accounts.get(key) ?? {};
	accounts.set(key, entry);
	if (entry.current) return entry.current;
	if (entry.pending) return await entry.pending;
	entry.pending = signIn();
	try {
		entry.current = await entry.pending;
		see(entry, entry.current);
		return entry.current;
	} finally {
		// A failed sign-in is not shared with later callers: they try again themselves.
		entry.pending = undefined;
	}
}

/**
 * What a token was issued for, stored beside it: an HMAC keyed by the token over the account.
 * After the base URL, key or secret of a credential changes, the stored token no longer matches
 * and is never sent (to the new host, or for the new account): Letpay answers 401 and n8n signs in.
 */
export function issuedFor(token: string, key: string): string {
	return createHmac('sha256', token).update(key).digest('hex').slice(0, 32);
}
