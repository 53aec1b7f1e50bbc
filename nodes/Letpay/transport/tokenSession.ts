import { sleep, type ICredentialDataDecryptedObject, type IExecuteFunctions, type INode, type IHttpRequestOptions } from 'n8n-workflow';

import { extractLetpayDetails, holdsErrors, parseJsonObject, type HttpFailure } from '../validation/letpayAnswer';
import {
	adoptRefreshedToken,
	adoptStoredToken,
	claimSignIn,
	currentAccessToken,
	exchangeStarted,
	hasUsableToken,
	issuedFor,
	keepsOnlyNewestToken,
	lastRefusedToken,
	lookInStoreOnce,
	rejectAccessToken,
	releaseSignIn,
	takeTokenToPublish,
	tokensSeen,
	usableToken,
} from './accessTokens';
import { openPublishGate, openSendGate, withDeadline, type SendGate } from './deadline';
import { accountOf, describeEnvironment, resolveEnvironment } from './signIn';

/*
 * The token session: which access token each request carries, and what happens after Letpay
 * refuses one (a plain 401: nothing was processed). The rules are written at the top of
 * accessTokens.ts; this file applies them to the requests of one run, and is where n8n's
 * credential store is read and written.
 */

export const CREDENTIAL_TYPE = 'letpayApi';

/** What the session needs of n8n: an execution's context gives it, and so does a webhook's. */
export interface LetpayContext {
	getNode(): INode;
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
	helpers: Pick<IExecuteFunctions['helpers'], 'httpRequestWithAuthentication'>;
}

/** What one exchange left behind: an HTTP answer of any status, or a failure before one. */
export type Exchange = (
	| { answer: HttpFailure & { status: number }; sentToken: string }
	| { failure: HttpFailure; sentToken: string }
	| { notSent: true; sentToken: string }
) & {
	/** The credential signed in for this exchange (rather than reusing the process's token). */
	signedIn?: boolean;
};

/** One send with the credentials (holding the token) and the gate it must pass. */
export type SendOnce = (credentials: ICredentialDataDecryptedObject, gate: SendGate) => Promise<Exchange>;

/** A token for one exchange; `settle` when this process counts it as carried from the moment it was chosen. '' signs in. */
interface TokenToSend {
	token: string;
	settle?: () => void;
}

/**
 * Resends for a refused token, on top of the item's Max Retries. If Letpay revokes a token
 * whenever it hands out a newer one, captures in flight keep meeting 401s while others succeed:
 * each such resend is safe, and they are bounded by this count and by the item's timeout,
 * counted from its first attempt.
 */
export const MAX_TOKEN_RESENDS = 50;

/**
 * Sign-ins one request may cause. One is enough in a single n8n process; with several (queue-mode
 * workers) a token fresh from a sign-in can be revoked by another process's sign-in before that
 * process's token reaches n8n's credential store. A fresh token refused once more means the
 * credentials are not good for this call: the item fails, not captured.
 */
const MAX_SIGN_INS_PER_REQUEST = 2;

/**
 * How long to look in n8n's credential store for a newer token (written by another n8n process)
 * before signing in: n8n saves a token right after a sign-in. When Letpay keeps only its newest
 * token valid, busy workers hand tokens to each other through the store, and a sign-in would
 * revoke the token of every other worker: look longer.
 */
const STORE_PATIENCE_MS = 250;
const STORE_PATIENCE_NEWEST_ONLY_MS = 1_500;
const STORE_POLL_MS = 20;
const PUBLISH_DEADLINE_MS = 2_000;
/** How long a refused request waits, at most, for the answers on their way that carried its token. */
const SUCCESSOR_WAIT_MS = 2_000;

/** A plain 401 (no Letpay code, no errors field at all) means "this token is not valid": nothing was processed. */
export function asksForNewToken(exchange: Exchange): boolean {
	if (!('answer' in exchange)) return false;
	const { status, body } = exchange.answer;
	return status === 401 && extractLetpayDetails(body).codes.length === 0 && !holdsErrors(body);
}

/** What a sent request's answer is judged by, and the token bookkeeping of one run. */
export class TokenSession {
	/** The stored token as this run read it, if it was issued for this account and not refused since. */
	private storedAtStart: string;

	private constructor(
		private readonly ctx: LetpayContext,
		/** Read (and decrypted) once per run; each request gets its own copy holding the token it sends, so that a 401 is always matched with the token that was refused. */
		private readonly credentials: ICredentialDataDecryptedObject,
		readonly account: string,
		readonly baseUrl: string,
		/** e.g. "Sandbox environment, https://api-sandbox.letpay.io" */
		readonly environment: string,
	) {
		const { accessToken, signedInFor } = credentials;
		this.storedAtStart = typeof accessToken === 'string' && signedInFor === issuedFor(accessToken, account) ? accessToken : '';
	}

	static async open(ctx: LetpayContext): Promise<TokenSession> {
		const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
		const resolved = resolveEnvironment(credentials);
		return new TokenSession(ctx, credentials, accountOf(credentials), resolved.baseUrl, describeEnvironment(resolved));
	}

	/** A request through n8n's helper, with these credentials (n8n runs the credential's preAuthentication and authenticate). */
	async request(options: IHttpRequestOptions, data: ICredentialDataDecryptedObject): Promise<unknown> {
		const stored = this.ctx.getNode().credentials?.[CREDENTIAL_TYPE];
		return await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx as unknown as IExecuteFunctions, CREDENTIAL_TYPE, options, {
			credentialsDecrypted: { id: stored?.id ?? '', name: stored?.name ?? '', type: CREDENTIAL_TYPE, data },
		});
	}

	/** Values no text shown to a builder may hold: the token sent, the key, the secret, every token of the account seen lately. */
	secrets(sentToken: string): string[] {
		return [sentToken, String(this.credentials.apiKey ?? ''), String(this.credentials.apiSecret ?? ''), ...tokensSeen(this.account)];
	}

	/** The token n8n's credential store holds now (another n8n process may have written it), if usable. */
	private async tokenFromStore(refused: string): Promise<string | undefined> {
		const now = await this.ctx.getCredentials(CREDENTIAL_TYPE).catch(() => undefined);
		const token = typeof now?.accessToken === 'string' ? now.accessToken : '';
		if (token === '' || token === refused || now?.signedInFor !== issuedFor(token, this.account)) return undefined;
		adoptStoredToken(this.account, token, true);
		const current = currentAccessToken(this.account);
		return current === refused ? undefined : current;
	}

	/** Polls the store for a while (at most half the time left) for a token to use instead of `refused`. */
	private async lookInStore(refused: string, timeLeftMs: number): Promise<boolean> {
		const patience = keepsOnlyNewestToken(this.account) ? STORE_PATIENCE_NEWEST_ONLY_MS : STORE_PATIENCE_MS;
		const giveUpAt = Date.now() + Math.min(patience, timeLeftMs / 2);
		for (;;) {
			if ((await this.tokenFromStore(refused)) !== undefined || hasUsableToken(this.account)) return true;
			if (Date.now() >= giveUpAt) return false;
			await sleep(STORE_POLL_MS);
		}
	}

	/**
	 * Has n8n write the token an answer brought to its credential store (through preAuthentication),
	 * for other processes. n8n 1.x saves the whole credential object it was given, so it is the
	 * stored one as it is now (an edit made during the run stays), and only if it is still this
	 * account. Bounded: a slow database must not hold the item.
	 */
	private async publish() {
		const now = await this.ctx.getCredentials(CREDENTIAL_TYPE).catch(() => undefined);
		if (!now || accountOf(now) !== this.account) return;
		const data = { ...now, accessToken: '', signedInFor: '' };
		openPublishGate(data);
		await withDeadline(this.request({ method: 'GET', url: this.baseUrl }, data).catch(() => undefined), PUBLISH_DEADLINE_MS);
	}

	/**
	 * The token to send: the current one (see usableToken), else after a refusal the one another
	 * process put in n8n's credential store, else '' (sign in, once for all requests of the
	 * process). The first request of a run may use the stored token as the run read it.
	 */
	private async tokenToSend(until: number): Promise<TokenToSend> {
		for (;;) {
			// At most half the time left: a request that hangs must not take the whole of another's.
			const waitUntil = Date.now() + Math.min((until - Date.now()) / 2, SUCCESSOR_WAIT_MS);
			const usable = await usableToken(this.account, waitUntil);
			if (usable !== undefined) return usable;
			if (this.storedAtStart !== '') {
				adoptStoredToken(this.account, this.storedAtStart);
				this.storedAtStart = '';
				continue;
			}
			const refused = lastRefusedToken(this.account);
			if (refused !== undefined && (await lookInStoreOnce(this.account, refused, async () => await this.lookInStore(refused, until - Date.now())))) continue;
			// One request signs in; the others wait for its token (and, taking turns, for its answer).
			if (claimSignIn(this.account) || Date.now() >= waitUntil) return { token: '' };
		}
	}

	/** What an answer says about tokens, known before the exchange counts as settled (no waiting request takes a refused token). */
	private async noteAnswer(exchange: Exchange, timeoutMs: number) {
		if (!('answer' in exchange)) return;
		const { sentToken } = exchange;
		const refreshed = parseJsonObject(exchange.answer.body)?.refresh_token;
		if (typeof refreshed === 'string') adoptRefreshedToken(this.account, sentToken, refreshed);
		if (asksForNewToken(exchange)) {
			rejectAccessToken(this.account, sentToken);
			// Started at once, so that requests waiting for a token wait for this look too.
			void lookInStoreOnce(this.account, sentToken, async () => await this.lookInStore(sentToken, timeoutMs));
		}
		// Written before any other request of this process uses it: another process may take it from there.
		if (takeTokenToPublish(this.account) !== undefined) await this.publish();
	}

	/** One go at Letpay with `token`: '' has n8n sign in first (once for all requests of the process). */
	private async sendWith(token: TokenToSend, timeoutMs: number, send: SendOnce): Promise<Exchange> {
		const data: ICredentialDataDecryptedObject = { ...this.credentials, accessToken: token.token, signedInFor: token.token === '' ? '' : issuedFor(token.token, this.account) };
		let settleInFlight = token.settle;
		const gate = openSendGate(data, Date.now() + timeoutMs, () => {
			settleInFlight ??= exchangeStarted(this.account, String(data.accessToken ?? ''));
		});
		try {
			const exchange = await send(data, gate);
			await this.noteAnswer(exchange, timeoutMs);
			return { ...exchange, signedIn: gate.signedIn === true };
		} finally {
			settleInFlight?.();
			if (token.token === '') releaseSignIn(this.account);
		}
	}

	/**
	 * The tokens of one request, over all its attempts: each call sends once (`sends` counts), and again with a
	 * newer token after each refusal while resends and the item's time last. `refusedLate` says why
	 * a refusal was the last word: the time or the resends ran out (the credentials are fine: other
	 * requests kept getting newer tokens); none when the request's own second sign-in was refused
	 * (the credentials are to blame).
	 */
	forRequest(timeoutMs: number) {
		let signIns = 0;
		let tokenResends = 0;
		let giveUpAt: number | undefined;
		return async (send: SendOnce): Promise<{ exchange: Exchange; sends: number; refusedLate?: 'timeout' | 'resendsUsedUp' }> => {
			// Counted from the first attempt: waiting for a token (bounded) is not time spent on Letpay.
			let token = await this.tokenToSend(giveUpAt ?? Date.now() + timeoutMs);
			giveUpAt ??= Date.now() + timeoutMs;
			for (let sends = 1; ; sends++) {
				const exchange = await this.sendWith(token, timeoutMs, send);
				if (exchange.signedIn) signIns++;
				const refused = asksForNewToken(exchange);
				if (refused && tokenResends < MAX_TOKEN_RESENDS && Date.now() < giveUpAt) {
					const next = await this.tokenToSend(giveUpAt);
					if (next.token !== '' || signIns < MAX_SIGN_INS_PER_REQUEST) {
						token = next;
						tokenResends++;
						continue;
					}
					if (next.token === '') releaseSignIn(this.account);
				}
				const blamesCredentials = exchange.signedIn === true && signIns >= MAX_SIGN_INS_PER_REQUEST;
				if (!refused || blamesCredentials) return { exchange, sends };
				return { exchange, sends, refusedLate: tokenResends >= MAX_TOKEN_RESENDS ? 'resendsUsedUp' : 'timeout' };
			}
		};
	}
}
