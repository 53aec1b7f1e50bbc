import { createHash, createHmac } from 'crypto';

import { withDeadline } from './deadline';

/*
 * One sign-in per expiry, however many captures are in flight, and however many n8n processes
 * (queue-mode workers) share the credential. Each account (base URL, API key and secret) has one
 * current access token in this process; n8n's credential store, shared by all processes, holds
 * the last token any of them wrote there. The rules:
 * 1. A plain 401 names the token it refused. Only if that is still the current token is it
 *    dropped, and a refused token is never taken up again (from a late answer or the store).
 * 2. Before anything else, a request that needs a token waits (bounded) for the answers still on
 *    their way that carried the refused token: one of them may bring its successor (Letpay
 *    answers with `refresh_token`, "updated access token for next calls").
 * 3. Then one look in n8n's credential store, for all requests of the process: another process
 *    may have written a newer token there. Only then a sign-in, by one request, while the others
 *    wait for its token.
 * 4. If Letpay hands out a new token with every answer and keeps only the newest valid (a token
 *    refused within a minute of the arrival of its successor, or of its own arrival from the
 *    store), each token can carry one request: requests of this process then take turns, one per
 *    token, for a while (TURNS_FOR_MS), the one with the nearest deadline first. Sending several
 *    would have all but one refused.
 * 5. Once another process is seen using the account (its token found in the store after a
 *    refusal), each token an answer brings is written to the store (see tokenSession), so that the
 *    other process takes it up rather than signing in: a sign-in revokes every other token, and
 *    two workers signing in by turns would revoke each other's for as long as captures run.
 */
interface AccountTokens {
	current?: string;
	/** Tokens Letpay refused lately (rule 1). */
	refused: string[];
	/** A sign-in under way: everyone who needs a token meanwhile waits for this one. */
	pending?: Promise<string>;
	/** A request of this process is about to sign in (n8n calls preAuthentication a moment later). */
	signInClaimed?: boolean;
	/** The last sign-in failed: everyone who asks meanwhile gets its error (no sign-in per waiting item). */
	failedSignIn?: { error: unknown; until: number };
	/** A look in n8n's credential store under way (rule 3): true when it found a token. */
	lookingInStore?: Promise<boolean>;
	/** The refused token the last look in the store was for: one look per refused token. */
	lookedFor?: string;
	/** The latest tokens this process sent or received, newest first: never to be shown. */
	seen: Array<{ token: string; at: number }>;
	/** When this process first got each recent token (from an answer, a sign-in or the store). */
	gotAt: Map<string, number>;
	/** Exchanges under way in this process, counted per token they carry. */
	inFlight: Map<string, number>;
	/** Woken whenever an exchange settles, a token is refused or a new one comes. */
	waiters: Set<() => void>;
	/** Tokens this process sent, mapped to the one their answer brought and when (the latest few). */
	successors: Map<string, { token: string; at: number }>;
	/** Requests waiting for a token of their own while taking turns, by deadline (rule 4). */
	turnQueue: Array<{ until: number }>;
	/** Tokens taken from the store after a refusal (rule 4). */
	fromStore: string[];
	/** Until when requests take turns, one per token (rule 4). */
	turnsUntil: number;
	/** Until when this process writes the tokens answers bring to the store (rule 5). */
	publishUntil: number;
	/** The current token came from an answer and is not in the store yet. */
	unpublished?: string;
}

/** A token refused this soon after its successor (or itself) came was revoked, not expired (tokens live five minutes). */
const YOUNG_MS = 60_000;
const TURNS_FOR_MS = 10 * 60_000;
const PUBLISH_FOR_MS = 10 * 60_000;
/** How long a failed sign-in answers for all: a Letpay that is down is not asked once per item. */
const FAILED_SIGN_IN_SHARED_MS = 1_000;
const REFUSED_KEPT = 8;
const RECENT_KEPT = 64;
/** Every token seen in the last ten minutes is kept (with rotating tokens, one per answer), up to a cap far above any real rate. */
const SEEN_FOR_MS = 10 * 60_000;
const SEEN_KEPT = 5_000;

const accounts = new Map<string, AccountTokens>();

function entryOf(key: string): AccountTokens {
	let entry = accounts.get(key);
	if (!entry) {
		entry = { refused: [], seen: [], gotAt: new Map(), inFlight: new Map(), waiters: new Set(), successors: new Map(), turnQueue: [], fromStore: [], turnsUntil: 0, publishUntil: 0 };
		accounts.set(key, entry);
	}
	return entry;
}

function wake(entry: AccountTokens) {
	for (const waiter of entry.waiters) waiter();
	entry.waiters.clear();
}

/** Adds to a map kept to its latest `RECENT_KEPT` entries. */
function remember<V>(map: Map<string, V>, key: string, value: V) {
	map.delete(key);
	map.set(key, value);
	if (map.size > RECENT_KEPT) map.delete(map.keys().next().value!);
}

/** Remembers tokens as secrets of the account. */
function see(entry: AccountTokens, ...tokens: string[]) {
	const fresh = tokens.filter((token) => token !== '');
	if (fresh.length === 0) return;
	const now = Date.now();
	for (const token of fresh) if (!entry.gotAt.has(token)) remember(entry.gotAt, token, now);
	const earlier = entry.seen.filter((seen) => !fresh.includes(seen.token) && now - seen.at <= SEEN_FOR_MS);
	entry.seen = [...fresh.map((token) => ({ token, at: now })), ...earlier].slice(0, SEEN_KEPT);
}

/** Every access token of the account this process has lately sent or received: what an answer must never pass on. */
export function tokensSeen(key: string): string[] {
	return (accounts.get(key)?.seen ?? []).map((seen) => seen.token);
}

export function accountKey(baseUrl: string, apiKey: string, apiSecret: string): string {
	return createHash('sha256').update([baseUrl, apiKey, apiSecret].join('\u0000')).digest('hex');
}

/**
 * What can travel in a header and looks like a token: 8 to 2,048 visible ASCII characters. Anything
 * else an answer calls `refresh_token` is ignored (a token the server then refuses with another
 * status than 401, e.g. 431 for a header too large, would never be dropped).
 */
function plausible(token: string): boolean {
	return token.length >= 8 && token.length <= 2_048 && /^[\x21-\x7e]+$/.test(token);
}

function usable(entry: AccountTokens, token: string | undefined): token is string {
	return token !== undefined && token !== '' && !entry.refused.includes(token);
}

/** The token to send now for this account, if this process holds one. */
export function currentAccessToken(key: string): string | undefined {
	return accounts.get(key)?.current;
}

/** True when this process holds a token it may send. */
export function hasUsableToken(key: string): boolean {
	const entry = entryOf(key);
	return usable(entry, entry.current);
}

/** Letpay refused `token` with a plain 401. */
export function rejectAccessToken(key: string, token: string): void {
	if (token === '') return;
	const entry = entryOf(key);
	see(entry, token);
	const now = Date.now();
	const successor = entry.successors.get(token);
	const rotatedAway = successor !== undefined && successor.token !== token && now - successor.at < YOUNG_MS;
	const handedOver = entry.fromStore.includes(token) && now - (entry.gotAt.get(token) ?? 0) < YOUNG_MS;
	if (rotatedAway || handedOver) entry.turnsUntil = now + TURNS_FOR_MS;
	if (entry.current === token) entry.current = undefined;
	entry.refused = [token, ...entry.refused.filter((earlier) => earlier !== token)].slice(0, REFUSED_KEPT);
	wake(entry);
}

/** The token Letpay refused last, if any. */
export function lastRefusedToken(key: string): string | undefined {
	return accounts.get(key)?.refused[0];
}

/**
 * An answer to a request that carried `sent` brought `refreshed`: it becomes the current token
 * unless the account moved on to another one meanwhile.
 */
export function adoptRefreshedToken(key: string, sent: string, refreshed: string): void {
	const entry = entryOf(key);
	if (sent === '' || refreshed === '') return;
	// Seen first: even an odd one is a secret of the account that answers must not repeat.
	see(entry, refreshed, sent);
	if (!plausible(refreshed)) return;
	remember(entry.successors, sent, { token: refreshed, at: Date.now() });
	if (!usable(entry, refreshed) || (usable(entry, entry.current) && entry.current !== sent)) return;
	entry.current = refreshed;
	if (refreshed !== sent) entry.unpublished = refreshed;
	wake(entry);
}

/**
 * A token from n8n's credential store: it becomes the current token unless this process holds a
 * usable one. `afterRefusal`: found by a look after a refusal, so written by another process.
 */
export function adoptStoredToken(key: string, token: string, afterRefusal = false): void {
	const entry = entryOf(key);
	see(entry, token);
	if (!usable(entry, token) || usable(entry, entry.current)) return;
	entry.current = token;
	if (afterRefusal) {
		entry.fromStore = [token, ...entry.fromStore].slice(0, REFUSED_KEPT);
		entry.publishUntil = Date.now() + PUBLISH_FOR_MS;
	}
	wake(entry);
}

/** The current token, once, if it came from an answer and other processes should find it in the store (rule 5). */
export function takeTokenToPublish(key: string): string | undefined {
	const entry = entryOf(key);
	const token = entry.unpublished;
	entry.unpublished = undefined;
	return token !== undefined && token === entry.current && Date.now() < entry.publishUntil ? token : undefined;
}

/** True while requests take turns, one per token (rule 4). */
export function keepsOnlyNewestToken(key: string): boolean {
	return Date.now() < entryOf(key).turnsUntil;
}

/** An exchange carrying `token` goes out; the function returned is called when it settled, however. */
export function exchangeStarted(key: string, token: string): () => void {
	return carry(entryOf(key), token);
}

function carry(entry: AccountTokens, token: string): () => void {
	entry.inFlight.set(token, (entry.inFlight.get(token) ?? 0) + 1);
	let settled = false;
	return () => {
		if (settled) return;
		settled = true;
		const left = (entry.inFlight.get(token) ?? 1) - 1;
		if (left > 0) entry.inFlight.set(token, left);
		else entry.inFlight.delete(token);
		wake(entry);
	};
}

/**
 * The token a request may send now (rules 2 and 4), counted as carried from here on until
 * `settle` is called; waits for the answers on their way, a look in the store or a sign-in under
 * way, until `until` (epoch ms). Undefined when there is none and nothing left to wait for.
 */
export async function usableToken(key: string, until: number): Promise<{ token: string; settle: () => void } | undefined> {
	const entry = entryOf(key);
	// Taking turns, the request with the nearest deadline goes first: none waits for ever.
	const ticket = { until };
	entry.turnQueue.push(ticket);
	entry.turnQueue.sort((a, b) => a.until - b.until);
	const leave = () => {
		entry.turnQueue.splice(entry.turnQueue.indexOf(ticket), 1);
		wake(entry);
	};
	try {
		for (;;) {
			const current = usable(entry, entry.current) ? entry.current : undefined;
			const takingTurns = Date.now() < entry.turnsUntil;
			const carried = current !== undefined && (entry.inFlight.get(current) ?? 0) > 0;
			if (current !== undefined && !(takingTurns && (carried || entry.turnQueue[0] !== ticket))) return { token: current, settle: carry(entry, current) };
			const wait = until - Date.now();
			const somethingMayCome = entry.inFlight.size > 0 || entry.pending !== undefined || entry.signInClaimed === true || entry.lookingInStore !== undefined;
			if ((!somethingMayCome && !(current !== undefined && entry.turnQueue[0] !== ticket)) || wait <= 0) return current === undefined ? undefined : { token: current, settle: carry(entry, current) };
			// Woken by the next event of the account, or the deadline (a resolver left behind is harmless).
			await withDeadline(new Promise<void>((resolve) => entry.waiters.add(resolve)), wait);
		}
	} finally {
		leave();
	}
}

/**
 * After Letpay refused `refused`: runs `look` (rule 3; true when it found a token), unless a look
 * is under way (then waits for that one). False when a look already ran for this token.
 */
export async function lookInStoreOnce(key: string, refused: string, look: () => Promise<boolean>): Promise<boolean> {
	const entry = entryOf(key);
	if (!entry.lookingInStore && entry.lookedFor !== refused) {
		entry.lookedFor = refused;
		entry.lookingInStore = look().finally(() => {
			entry.lookingInStore = undefined;
			wake(entry);
		});
	}
	return (await entry.lookingInStore) ?? false;
}

/**
 * True when the caller may sign in (its request goes out with no token, and n8n calls the
 * credential's preAuthentication): no token, no sign-in under way or about to be. Released when
 * that sign-in ends, or by `releaseSignIn` if the request never got that far.
 */
export function claimSignIn(key: string): boolean {
	const entry = entryOf(key);
	// After a failed sign-in, every request goes on at once, to fail with the same error.
	if (entry.failedSignIn && Date.now() < entry.failedSignIn.until) return true;
	if (usable(entry, entry.current) || entry.pending || entry.signInClaimed) return false;
	entry.signInClaimed = true;
	return true;
}

export function releaseSignIn(key: string): void {
	const entry = entryOf(key);
	if (!entry.signInClaimed) return;
	entry.signInClaimed = false;
	wake(entry);
}

/**
 * The current token, or the one being fetched, or a new one from `signIn` (`signedIn` says
 * whether this call signed in). A sign-in that failed a moment ago fails this call too.
 */
export async function accessTokenFor(key: string, signIn: () => Promise<string>): Promise<{ token: string; signedIn: boolean }> {
	const entry = entryOf(key);
	if (usable(entry, entry.current)) return { token: entry.current, signedIn: false };
	if (entry.pending) return { token: await entry.pending, signedIn: false };
	if (entry.failedSignIn && Date.now() < entry.failedSignIn.until) throw entry.failedSignIn.error;
	entry.pending = signIn();
	entry.pending.catch((error: unknown) => {
		entry.failedSignIn = { error, until: Date.now() + FAILED_SIGN_IN_SHARED_MS };
	});
	try {
		const token = await entry.pending;
		entry.current = token;
		entry.failedSignIn = undefined;
		see(entry, token);
		return { token, signedIn: true };
	} finally {
		entry.pending = undefined;
		entry.signInClaimed = false;
		wake(entry);
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
