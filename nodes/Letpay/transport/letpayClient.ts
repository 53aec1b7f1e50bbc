import {
	sleep,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { explainFailure, type LetpayErrorReport } from '../errors/explainFailure';
import { accountKey, currentAccessToken, issuedFor, rejectAccessToken } from './accessTokens';
import { PAST_DEADLINE, withDeadline } from './deadline';
import { describeEnvironment, resolveEnvironment } from './environment';
import { readHttpFailure, type HttpFailure } from './httpFailure';
import { parseJsonObject } from './jsonBody';
import { resendDelay, type ResendPolicy } from './resendPolicy';

export const CREDENTIAL_TYPE = 'letpayApi';

export type LetpayResult = (
	| { ok: true; status: number; body: Record<string, unknown> }
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
	send(request: LetpayRequest): Promise<LetpayResult>;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** What one exchange left behind: an HTTP answer of any status, or a failure before one. */
type Exchange = { answer: HttpFailure & { status: number }; sentToken: string } | { failure: HttpFailure; sentToken: string };

function credentialFailure(message: string): LetpayErrorReport {
	return {
		message,
		description: 'Nothing was sent to Letpay for this item, so nothing was captured.',
		outcome: 'not_captured',
		retryAdvice: 'after_fixing_input',
		letpay: { codes: [], errors: [] },
		resendable: false,
	};
}

/** A plain 401 (no Letpay code) means "this token is not valid": sign in and send once more. */
function asksForNewToken(answer: HttpFailure & { status: number }): boolean {
	const errors = parseJsonObject(answer.body)?.errors;
	return answer.status === 401 && !(Array.isArray(errors) && errors.length > 0);
}

/**
 * The one way this node talks to Letpay. Every answer is read here, whatever its status, so that
 * the node, not n8n's request helper, decides what may be sent again: redirects are never
 * followed, and a 401 is resent once only when its body carries no code that says the request
 * may have been processed.
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

	async function exchange(request: LetpayRequest, signInFirst: boolean): Promise<Exchange> {
		const data = credentialsToSend(signInFirst);
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
		if (settled === PAST_DEADLINE) return { failure: { code: 'ETIMEDOUT', message: 'deadline passed', headers: {} }, sentToken };
		if ('error' in settled) return { failure: readHttpFailure(settled.error), sentToken };
		const { statusCode, headers, body } = settled.response;
		return { answer: { status: statusCode, headers: lowerCaseHeaders(headers), body, message: `HTTP ${statusCode}` }, sentToken };
	}

	function report(result: Exchange, timeoutMs: number): LetpayErrorReport | { body: Record<string, unknown>; status: number } {
		if ('failure' in result) {
			if (result.failure.credentialProblem) return credentialFailure(result.failure.credentialProblem);
			return explainFailure(result.failure, { timeoutMs, environment });
		}
		const { status, body } = result.answer;
		const json = parseJsonObject(body);
		if (status >= 200 && status < 300 && json) return { body: json, status };
		return explainFailure(result.answer, { timeoutMs, environment });
	}

	return {
		environment,
		async send(request) {
			let signInFirst = false;
			let renewedToken = false;
			let resends = 0;
			for (let attempt = 1; ; attempt++) {
				const result = await exchange(request, signInFirst);
				signInFirst = false;
				if ('answer' in result && asksForNewToken(result.answer) && !renewedToken) {
					// Nothing was processed with a refused token: sign in (once for all requests) and resend.
					rejectAccessToken(account, result.sentToken);
					renewedToken = signInFirst = true;
					continue;
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
