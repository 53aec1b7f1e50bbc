import { createHash } from 'crypto';

/*
 * When many captures run at once and the access token expires, every in-flight request gets a
 * 401 and n8n asks the credential for a new token once per request. Letpay needs only one: the
 * first caller fetches it, the others wait for that same fetch, and a caller whose token is older
 * than one fetched moments ago gets the newer one. Keyed by a hash of the base URL, key and
 * secret, so an edited credential never reuses a token of the old one.
 */
const REUSE_FOR_MS = 60_000;

interface SharedToken {
	token?: string;
	fetchedAt?: number;
	pending?: Promise<string>;
}

const tokens = new Map<string, SharedToken>();

export function accountKey(...parts: string[]): string {
	return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

export async function sharedAccessToken(
	key: string,
	staleToken: string,
	fetchToken: () => Promise<string>,
): Promise<string> {
	const entry = tokens.get(key) ?? {};
	if (entry.pending) return await entry.pending;
	const fresh = entry.fetchedAt !== undefined && Date.now() - entry.fetchedAt < REUSE_FOR_MS;
	if (entry.token && staleToken !== '' && staleToken !== entry.token && fresh) return entry.token;

	const pending = fetchToken();
	tokens.set(key, { ...entry, pending });
	let token: string | undefined;
	try {
		token = await pending;
	} finally {
		// A failed fetch is not shared with later callers: they try again themselves.
		if (token === undefined) tokens.delete(key);
	}
	tokens.set(key, { token, fetchedAt: Date.now() });
	return token;
}
