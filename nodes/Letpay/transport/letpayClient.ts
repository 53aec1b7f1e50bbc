import {
	sleep,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { explainFailure, type LetpayErrorReport } from '../errors/explainFailure';
import {
	accountKey,
	claimSignIn,
	adoptRefreshedToken,
	adoptStoredToken,
	currentAccessToken,
	exchangeStarted,
	issuedFor,
	keepsOnlyNewestToken,
	lastRefusedToken,
	rejectAccessToken,
	releaseSignIn,
	lookInStoreOnce,
	hasUsableToken,
	usableToken,
	takeTokenToPublish,
	tokensSeen,
} from './accessTokens';
import { PAST_DEADLINE, withDeadline } from './deadline';
import { extractLetpayDetails } from '../errors/letpayErrorBody';
import { notSentReport } from '../errors/reports';
import { NOT_SENT_MESSAGE } from './credentialErrors';
import { abandonUnsent, openPublishGate, openSendGate, type SendGate } from './sendGate';
import { describeEnvironment, resolveEnvironment } from './environment';
import { readHttpFailure, type HttpFailure } from './httpFailure';
import { parseJsonObject } from './jsonBody';
import { resendDelay, type ResendPolicy } from './resendPolicy';

export const CREDENTIAL_TYPE = 'letpayApi';

export type LetpayResult = (
	/** `tokens`: every access token of the account this process knows (the one sent among them), never to be repeated in an output. */
	| { ok: true; status: number; body: Record<string, unknown>; tokens: string[] }
	| { ok: false; report: LetpayErrorReport }
) & { attempts: number };

export interface LetpayRequest {
	method: IHttpRequestMethods;
	path: string;
	/** Sent as written: the amount's digits must reach Letpay exactly. */
	jsonText?: string;
	timeoutMs: number;
	resend: ResendPolicy;
}

export interface LetpayClient {
	readonly environment: string;
	/** Which account (base URL, key, secret) the requests go out for: a hash, no secret in it. */
	readonly account: string;
	send(request: LetpayRequest): Promise<LetpayResult>;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** A token for one exchange; `settle` when this process counts it as carried from the moment it was chosen. */
interface TokenToSend {
	token: string;
	settle?: () => void;
}

/** '' holds the process's sign-in claim (see tokenToSend), to be released if it is not used. */
const claimed = (token: TokenToSend) => token.token === '';

/** What one exchange left behind: an HTTP answer of any status, or a failure before one. */
type Exchange = (
	| { answer: HttpFailure & { status: number }; sentToken: string }
	| { failure: HttpFailure; sentToken: string }
	| { notSent: true; sentToken: string }
) & {
	/** The credential signed in for this exchange (rather than reusing the process's token). */
	signedIn?: boolean;
};

/**
 * Resends for a refused token (a plain 401: nothing was processed), on top of the policy's. If
 * Letpay revokes a token whenever it hands out a newer one, captures in flight keep meeting 401s
 * while others succeed: each such resend is safe, and they are bounded by this count and by the
 * item's timeout, counted from its first attempt.
 */
const MAX_TOKEN_RESENDS = 50;

/**
 * Sign-ins one request may cause. One is enough in a single n8n process; with several (queue-mode
 * workers) a token fresh from a sign-in can be revoked by another process's sign-in before that
 * process's token reaches n8n's credential store. A fresh token refused once more means the
 * credentials are not good for this call: the item fails, not captured.
 */
const MAX_SIGN_INS_PER_REQUEST = 2;

/**
 * How long to look in n8n's credential store for a newer token (written by another n8n process,
 * e.g. a queue-mode worker) before signing in: n8n saves a token right after a sign-in. When
 * Letpay keeps only its newest token valid, busy workers hand tokens to each other through the
 * store, and a sign-in would revoke the token of every other worker: look longer.
 */
const STORE_PATIENCE_MS = 250;
const STORE_PATIENCE_NEWEST_ONLY_MS = 1_500;
const STORE_POLL_MS = 20;
const PUBLISH_DEADLINE_MS = 2_000;

/**
 * How long a refused request waits for the answers still on the way to this process that carried
 * the same token (one of them may bring its successor), at most: Letpay answers in well under.
 */
const SUCCESSOR_WAIT_MS = 2_000;

/** A plain 401 (no Letpay code at all) means "this token is not valid": nothing was processed. */
function asksForNewToken(answer: HttpFailure & { status: number }): boolean {
	return answer.status === 401 && extractLetpayDetails(parseJsonObject(answer.body)).codes.length === 0 && !hasErrorsField(answer.body);
}

function hasErrorsField(body: unknown): boolean {
	const errors = parseJsonObject(body)?.errors;
	return errors !== undefined && !(Array.isArray(errors) && errors.length === 0);
}

/**
 * The one way this node talks to Letpay. Every answer is read here, whatever its status, so that
 * the node, not n8n's request helper, decides what may be sent again: redirects are never
 * followed, and a 401 is resent (with a newer token, after at most two sign-ins per request) only
 * when its body carries no code that says the request may have been processed.
 */
export async function createLetpayClient(ctx: IExecuteFunctions): Promise<LetpayClient> {
	// Read (and decrypted) once per run; each request gets its own copy holding the token it sends,
	// so that a 401 is always matched with the token that was refused.
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const stored = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
	const resolved = resolveEnvironment(credentials);
	const environment = describeEnvironment(resolved);
	const account = accountKey(resolved.baseUrl, String(credentials.apiKey ?? ''), String(credentials.apiSecret ?? ''));

	/** The stored token as this run read it, if it was issued for this account and not refused since. */
	let storedAtStart = typeof credentials.accessToken === 'string' && credentials.signedInFor === issuedFor(credentials.accessToken, account) ? credentials.accessToken : '';

	/** The token n8n's credential store holds now (another n8n process may have written it), if usable. */
	async function tokenFromStore(refused: string): Promise<string | undefined> {
		const stored = await ctx.getCredentials(CREDENTIAL_TYPE).catch(() => undefined);
		const token = typeof stored?.accessToken === 'string' ? stored.accessToken : '';
		if (token === '' || token === refused || stored?.signedInFor !== issuedFor(token, account)) return undefined;
		adoptStoredToken(account, token, true);
		const current = currentAccessToken(account);
		return current === refused ? undefined : current;
	}

	/**
	 * Has n8n write the token an answer brought to its credential store (through preAuthentication),
	 * for other processes. n8n 1.x saves the whole credential object it was given, so it is the
	 * stored one as it is now (an edit made during the run stays), and only if it is still this
	 * account. Bounded: a slow database must not hold the item.
	 */
	async function publish() {
		const now = await ctx.getCredentials(CREDENTIAL_TYPE).catch(() => undefined);
		if (!now || accountKey(resolveEnvironment(now).baseUrl, String(now.apiKey ?? ''), String(now.apiSecret ?? '')) !== account) return;
		const data = { ...now, accessToken: '', signedInFor: '' };
		openPublishGate(data);
		const written = ctx.helpers.httpRequestWithAuthentication
			.call(ctx, CREDENTIAL_TYPE, { method: 'GET', url: resolved.baseUrl }, {
				credentialsDecrypted: { id: stored?.id ?? '', name: stored?.name ?? '', type: CREDENTIAL_TYPE, data },
			})
			.catch(() => undefined);
		await withDeadline(written, PUBLISH_DEADLINE_MS);
	}

	/** One request's go at Letpay: '' as the token has n8n sign in first (once for all requests of the process). */
	async function exchange(request: LetpayRequest, token: TokenToSend): Promise<Exchange> {
		const data: ICredentialDataDecryptedObject = { ...credentials, accessToken: token.token, signedInFor: token.token === '' ? '' : issuedFor(token.token, account) };
		let settleInFlight = token.settle;
		const gate = openSendGate(data, Date.now() + request.timeoutMs, () => {
			settleInFlight ??= exchangeStarted(account, String(data.accessToken ?? ''));
		});
		try {
			return { ...(await sendOnce(request, data, gate)), signedIn: gate.signedIn === true };
		} finally {
			settleInFlight?.();
			if (token.token === '') releaseSignIn(account);
		}
	}

	async function sendOnce(request: LetpayRequest, data: ICredentialDataDecryptedObject, gate: SendGate): Promise<Exchange> {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${resolved.baseUrl}${request.path}`,
			headers: { Accept: 'application/json', ...(request.jsonText === undefined ? {} : { 'Content-Type': 'application/json' }) },
			...(request.jsonText === undefined ? {} : { body: request.jsonText }),
			timeout: request.timeoutMs,
			disableFollowRedirect: true,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
		};
		const call = ctx.helpers.httpRequestWithAuthentication
			.call(ctx, CREDENTIAL_TYPE, options, {
				credentialsDecrypted: { id: stored?.id ?? '', name: stored?.name ?? '', type: CREDENTIAL_TYPE, data },
			})
			.then(
				(response: FullResponse) => ({ response }),
				(error: unknown) => ({ error }),
			);
		const settled = await withDeadline(call, request.timeoutMs);
		// n8n writes the token it signed in for into `data` before sending.
		const sentToken = String(data.accessToken ?? '');
		if (settled === PAST_DEADLINE) {
			// Still signing in: the request has not gone out, and the gate keeps it from ever going.
			if (abandonUnsent(gate)) return { notSent: true, sentToken };
			return { failure: { code: 'ETIMEDOUT', message: 'deadline passed', headers: {} }, sentToken };
		}
		if ('error' in settled) return { failure: readHttpFailure(settled.error), sentToken };
		const { statusCode, headers, body } = settled.response;
		const answer = { status: statusCode, headers: lowerCaseHeaders(headers), body, message: `HTTP ${statusCode}` };
		const refreshed = parseJsonObject(body)?.refresh_token;
		if (typeof refreshed === 'string') adoptRefreshedToken(account, sentToken, refreshed);
		// Known before the exchange counts as settled, so that no request waiting for a token takes this one.
		if (asksForNewToken(answer)) {
			rejectAccessToken(account, sentToken);
			// Started at once, so that requests waiting for a token wait for this look too.
			void lookInStoreOnce(account, sentToken, async () => await lookInStore(sentToken, request.timeoutMs));
		}
		// Written before any other request of this process uses it: another process may take it from there.
		if (takeTokenToPublish(account) !== undefined) await publish();
		return { answer, sentToken };
	}

	/**
	 * The token to send: the current one (see usableToken), else after a refusal the one another
	 * process put in n8n's credential store, else '' (sign in, once for all requests of the
	 * process). The first request of a run may use the stored token as the run read it.
	 */
	async function tokenToSend(until: number): Promise<TokenToSend> {
		for (;;) {
			// At most half the time left: a request that hangs must not take the whole of another's.
			const waitUntil = Date.now() + Math.min((until - Date.now()) / 2, SUCCESSOR_WAIT_MS);
			const usable = await usableToken(account, waitUntil);
			if (usable !== undefined) return usable;
			if (storedAtStart !== '') {
				adoptStoredToken(account, storedAtStart);
				storedAtStart = '';
				continue;
			}
			const refused = lastRefusedToken(account);
			if (refused !== undefined && (await lookInStoreOnce(account, refused, async () => await lookInStore(refused, until - Date.now())))) continue;
			// One request signs in; the others wait for its token (and, taking turns, for its answer).
			if (claimSignIn(account) || Date.now() >= waitUntil) return { token: '' };
		}
	}

	/**
	 * Polls n8n's credential store, for a while (at most half the time the request has left), for
	 * a token this process may use instead of `refused`; done early if an answer brings one.
	 */
	async function lookInStore(refused: string, timeLeftMs: number): Promise<boolean> {
		const patience = keepsOnlyNewestToken(account) ? STORE_PATIENCE_NEWEST_ONLY_MS : STORE_PATIENCE_MS;
		const giveUpAt = Date.now() + Math.min(patience, timeLeftMs / 2);
		for (;;) {
			if ((await tokenFromStore(refused)) !== undefined || hasUsableToken(account)) return true;
			if (Date.now() >= giveUpAt) return false;
			await sleep(STORE_POLL_MS);
		}
	}

	function report(result: Exchange, timeoutMs: number): LetpayErrorReport | { body: Record<string, unknown>; status: number; tokens: string[] } {
		if ('notSent' in result) return notSentReport(NOT_SENT_MESSAGE, 'later');
		// Letpay's texts are shown to the builder: no access token of the account, nor its key or
		// secret, may be among them.
		const secrets = [result.sentToken, String(credentials.apiKey ?? ''), String(credentials.apiSecret ?? ''), ...tokensSeen(account)];
		const context = { timeoutMs, environment, secrets };
		if ('failure' in result) {
			const { credentialProblem, credentialErrorCode } = result.failure;
			if (credentialProblem) {
				return notSentReport(credentialProblem, credentialErrorCode === 'LETPAY_CREDENTIALS_REJECTED' ? 'after_fixing_input' : 'later');
			}
			return explainFailure(result.failure, context);
		}
		const { status, body } = result.answer;
		const json = parseJsonObject(body);
		if (status >= 200 && status < 300 && json) return { body: json, status, tokens: secrets };
		return explainFailure(result.answer, context);
	}

	return {
		environment,
		account,
		async send(request) {
			let signIns = 0;
			let tokenResends = 0;
			let resends = 0;
			// Counted from the first attempt: waiting for a token (bounded) is not time spent on Letpay.
			let token = await tokenToSend(Date.now() + request.timeoutMs);
			const giveUpTokenResendsAt = Date.now() + request.timeoutMs;
			for (let attempt = 1; ; attempt++) {
				const result = await exchange(request, token);
				if (result.signedIn) signIns++;
				const refused = 'answer' in result && asksForNewToken(result.answer);
				const mayResend = tokenResends < MAX_TOKEN_RESENDS && Date.now() < giveUpTokenResendsAt;
				if (refused && mayResend) {
					// Nothing was processed with a refused token (the exchange marked it refused): resend with a newer one.
					const next = await tokenToSend(giveUpTokenResendsAt);
					if (next.token !== '' || signIns < MAX_SIGN_INS_PER_REQUEST) {
						token = next;
						tokenResends++;
						continue;
					}
					if (claimed(next)) releaseSignIn(account);
				}
				// Only a token this request signed in for, refused after its second sign-in, blames the credentials.
				const refusedLate = refused && !(result.signedIn && signIns >= MAX_SIGN_INS_PER_REQUEST);
				const outcome = refusedLate ? tokenRefusedLate(report(result, request.timeoutMs), tokenResends >= MAX_TOKEN_RESENDS) : report(result, request.timeoutMs);
				if (!('message' in outcome)) return { ok: true, ...outcome, attempts: attempt };
				const delay = resendDelay(outcome, ++resends, request.resend);
				if (delay === undefined) return { ok: false, report: outcome, attempts: attempt };
				await sleep(delay);
				token = await tokenToSend(giveUpTokenResendsAt);
			}
		},
	};
}

/**
 * A plain 401 when the item's time or its token resends ran out: the credentials are fine (no
 * token this request signed in for was refused twice); other requests kept getting newer tokens.
 */
function tokenRefusedLate<T extends object>(report: T | LetpayErrorReport, resendsUsedUp: boolean): T | LetpayErrorReport {
	if (!('message' in report)) return report;
	return { ...report, message: resendsUsedUp ? TOKEN_REFUSED_MESSAGES.resendsUsedUp : TOKEN_REFUSED_MESSAGES.timeout, retryAdvice: 'later' };
}

export const TOKEN_REFUSED_MESSAGES = {
	timeout: "Letpay refused the access token, and the item's timeout passed before a newer one could be used (Letpay had handed newer tokens to other requests)",
	resendsUsedUp: `Letpay refused the access token ${MAX_TOKEN_RESENDS + 1} times in a row, handing newer ones to other requests each time, so the node stopped resending`,
} as const;

function lowerCaseHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (typeof value === 'string' || typeof value === 'number') result[name.toLowerCase()] = String(value);
	}
	return result;
}
