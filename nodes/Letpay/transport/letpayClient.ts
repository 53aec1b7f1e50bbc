import {
	sleep,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { explainFailure, type LetpayErrorReport } from '../errors/explainFailure';
import { accountKey, adoptRefreshedToken, adoptStoredToken, currentAccessToken, issuedFor, rejectAccessToken, tokensSeen } from './accessTokens';
import { PAST_DEADLINE, withDeadline } from './deadline';
import { extractLetpayDetails } from '../errors/letpayErrorBody';
import { notSentReport } from '../errors/reports';
import { NOT_SENT_MESSAGE } from './credentialErrors';
import { abandonUnsent, openSendGate } from './sendGate';
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

/** What one exchange left behind: an HTTP answer of any status, or a failure before one. */
type Exchange =
	| { answer: HttpFailure & { status: number }; sentToken: string }
	| { failure: HttpFailure; sentToken: string }
	| { notSent: true; sentToken: string };

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
 * How long to wait, when neither this process nor n8n's credential store has a newer token, for
 * another process's sign-in to be written there (n8n saves a token right after the sign-in).
 * Without it two workers that see a token expire at once keep revoking each other's new token.
 */
const STORE_WRITE_GRACE_MS = 250;

/** Tokens one request may take from n8n's credential store: a store that keeps changing is not followed for ever. */
const MAX_STORE_TOKENS_PER_REQUEST = 3;

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

	/** The newest token this process holds for the account, else the stored one; '' signs in. */
	function credentialsToSend(signInFirst: boolean): ICredentialDataDecryptedObject {
		if (signInFirst) return { ...credentials, accessToken: '', signedInFor: '' };
		const current = currentAccessToken(account);
		if (!current) return { ...credentials };
		return { ...credentials, accessToken: current, signedInFor: issuedFor(current, account) };
	}

	/**
	 * After a refused token: the token n8n's credential store holds now, if another n8n process
	 * (a queue-mode worker) signed in for this account since this run read the credential.
	 */
	async function tokenFromStore(refused: string): Promise<string | undefined> {
		const stored = await ctx.getCredentials(CREDENTIAL_TYPE).catch(() => undefined);
		const token = typeof stored?.accessToken === 'string' ? stored.accessToken : '';
		if (token === '' || token === refused || stored?.signedInFor !== issuedFor(token, account)) return undefined;
		adoptStoredToken(account, token);
		return currentAccessToken(account);
	}

	async function exchange(request: LetpayRequest, signInFirst: boolean): Promise<Exchange> {
		const data = credentialsToSend(signInFirst);
		const deadline = Date.now() + request.timeoutMs;
		const gate = openSendGate(data, deadline);
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
		const refreshed = parseJsonObject(body)?.refresh_token;
		if (typeof refreshed === 'string') adoptRefreshedToken(account, sentToken, refreshed);
		return { answer: { status: statusCode, headers: lowerCaseHeaders(headers), body, message: `HTTP ${statusCode}` }, sentToken };
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
			let signInFirst = false;
			let signIns = 0;
			let storeTokens = 0;
			let tokenResends = 0;
			let resends = 0;
			const giveUpTokenResendsAt = Date.now() + request.timeoutMs;
			for (let attempt = 1; ; attempt++) {
				const result = await exchange(request, signInFirst);
				signInFirst = false;
				const mayResend = tokenResends < MAX_TOKEN_RESENDS && Date.now() < giveUpTokenResendsAt;
				if ('answer' in result && asksForNewToken(result.answer) && mayResend) {
					// Nothing was processed with a refused token. If the account has moved on to a newer
					// token meanwhile (in this process, or in n8n's credential store by another process),
					// resend with that one; else sign in (once for all requests in this process).
					rejectAccessToken(account, result.sentToken);
					const fromStore = async () => {
						if (storeTokens >= MAX_STORE_TOKENS_PER_REQUEST) return undefined;
						const token = await tokenFromStore(result.sentToken);
						if (token !== undefined) storeTokens++;
						return token;
					};
					let current = currentAccessToken(account) ?? (await fromStore());
					if (current === undefined && storeTokens < MAX_STORE_TOKENS_PER_REQUEST) {
						await sleep(STORE_WRITE_GRACE_MS);
						current = currentAccessToken(account) ?? (await fromStore());
					}
					const needsSignIn = current === undefined || current === result.sentToken;
					if (!needsSignIn || signIns < MAX_SIGN_INS_PER_REQUEST) {
						if (needsSignIn) signIns++;
						signInFirst = needsSignIn;
						tokenResends++;
						continue;
					}
				}
				const outcome = report(result, request.timeoutMs);
				if (!('message' in outcome)) return { ok: true, ...outcome, attempts: attempt };
				const delay = resendDelay(outcome, ++resends, request.resend);
				if (delay === undefined) return { ok: false, report: outcome, attempts: attempt };
				await sleep(delay);
			}
		},
	};
}

function lowerCaseHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (typeof value === 'string' || typeof value === 'number') result[name.toLowerCase()] = String(value);
	}
	return result;
}
