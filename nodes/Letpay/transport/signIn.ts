import { randomBytes } from 'crypto';
import {
	UserError,
	type ICredentialDataDecryptedObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { NOT_SENT_MESSAGE } from '../errors/report';
import { CREDENTIAL_ERROR_PREFIX, parseJsonObject, readHttpFailure, redactUrl, type HttpFailure } from '../validation/letpayAnswer';
import { accessTokenFor, accountKey, currentAccessToken, issuedFor } from './accessTokens';
import { isPublishOnly, noteSignIn, passSendGate, PAST_DEADLINE, withDeadline } from './deadline';

/*
 * The credential's half of the transport: where a credential's requests go, Letpay's sign-in
 * (POST /auth, API key and secret as multipart form data) and the access token on each request.
 * The Letpay API credential uses this module alone.
 */

export type LetpayEnvironment = 'sandbox' | 'production' | 'custom';

export const LETPAY_HOSTS: Record<Exclude<LetpayEnvironment, 'custom'>, string> = {
	sandbox: 'https://api-sandbox.letpay.io',
	production: 'https://api.letpay.io',
};

const ENVIRONMENT_LABELS: Record<LetpayEnvironment, string> = { sandbox: 'Sandbox', production: 'Production', custom: 'Custom' };

export interface ResolvedEnvironment {
	label: string;
	baseUrl: string;
}

/** Where requests for these credentials go, and how to name that place in an error message. */
export function resolveEnvironment(credentials: ICredentialDataDecryptedObject): ResolvedEnvironment {
	const environment = (credentials.environment as LetpayEnvironment | undefined) ?? 'sandbox';
	const label = ENVIRONMENT_LABELS[environment] ?? String(environment);
	const baseUrl = environment === 'custom' ? String(credentials.baseUrl ?? '').trim() : LETPAY_HOSTS[environment] ?? LETPAY_HOSTS.sandbox;
	return { label, baseUrl: baseUrl.replace(/\/+$/, '') };
}

export function describeEnvironment({ label, baseUrl }: ResolvedEnvironment): string {
	return `${label} environment, ${baseUrl ? redactUrl(baseUrl) : 'no base URL set'}`;
}

/** The account a credential names: a hash of its base URL, key and secret (no secret in it). */
export function accountOf(credentials: ICredentialDataDecryptedObject): string {
	return accountKey(resolveEnvironment(credentials).baseUrl, String(credentials.apiKey ?? ''), String(credentials.apiSecret ?? ''));
}

/*
 * Thrown by the credential's preAuthentication. Fixed texts only: nothing from Letpay's answer
 * (or from the request, which holds the API secret) is carried along, so nothing can leak.
 * `errorCode` survives n8n's wrapping in 1.x and 2.x alike, so the node can tell these apart.
 * The messages avoid socket codes (ECONNREFUSED...): n8n would swap such a message for its own.
 */
export class LetpayCredentialsRejectedError extends UserError {
	readonly errorCode = `${CREDENTIAL_ERROR_PREFIX}CREDENTIALS_REJECTED`;

	constructor(environment: ResolvedEnvironment) {
		super(
			`Letpay rejected the API key or API secret (${describeEnvironment(environment)}). ` +
				'Check both values in the Letpay API credential, and that they were created for this environment.',
		);
	}
}

export class LetpayAuthUnavailableError extends UserError {
	readonly errorCode = `${CREDENTIAL_ERROR_PREFIX}AUTH_UNAVAILABLE`;

	constructor(environment: ResolvedEnvironment, detail: string) {
		super(`Could not obtain a Letpay access token (${describeEnvironment(environment)}): ${detail}`);
	}
}

/** authenticate() refused to let a request go out: its deadline passed during the sign-in. */
export class LetpayNotSentError extends UserError {
	readonly errorCode = `${CREDENTIAL_ERROR_PREFIX}NOT_SENT`;

	constructor() {
		super(NOT_SENT_MESSAGE);
	}
}

const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved',
	ECONNRESET: 'the connection was reset',
	ECONNABORTED: 'Letpay did not answer in time',
	ETIMEDOUT: 'Letpay did not answer in time',
};

export function describeAuthFailure(status: number | undefined, code: string | undefined): string {
	if (status !== undefined) return `Letpay answered HTTP ${status}`;
	return NETWORK_WORDS[code ?? ''] ?? 'the request failed before Letpay answered';
}

export const SIGN_IN_PATH = '/auth';
const AUTH_TIMEOUT_MS = 30_000;

/*
 * Letpay's sign-in request, as documented: the key and secret as multipart form data, written by
 * hand (a few bytes; no runtime dependency, the same under every n8n version's HTTP client).
 * Redirects are never followed: a 307 would send the secret on to wherever it points.
 */
export function signInRequest(credentials: ICredentialDataDecryptedObject) {
	const boundary = `----n8nLetpay${randomBytes(12).toString('hex')}`;
	const fields = { apiKey: String(credentials.apiKey ?? ''), apiSecret: String(credentials.apiSecret ?? '') };
	const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
	return {
		headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, Accept: 'application/json' },
		body: `${parts.join('')}--${boundary}--\r\n`,
		disableFollowRedirect: true,
	};
}

/**
 * The error a failed sign-in throws from the credential (which has no node for a NodeApiError):
 * a fixed text and code, none of the HTTP client's error, which holds the request with the secret.
 */
function signInError(environment: ResolvedEnvironment, failure: HttpFailure): UserError {
	if (failure.status === 401 || failure.status === 403) return new LetpayCredentialsRejectedError(environment);
	return new LetpayAuthUnavailableError(environment, describeAuthFailure(failure.status, failure.code));
}

/** POST /auth; Letpay answers with a token. */
async function requestAccessToken(helper: IHttpRequestHelper, environment: ResolvedEnvironment, credentials: ICredentialDataDecryptedObject): Promise<string> {
	const request = { method: 'POST' as const, url: `${environment.baseUrl}${SIGN_IN_PATH}`, timeout: AUTH_TIMEOUT_MS, ...signInRequest(credentials) };
	const call = helper.helpers.httpRequest(request).then(
		(body: unknown) => ({ body }),
		(error: unknown) => ({ failure: readHttpFailure(error) }),
	);
	const answer = await withDeadline(call, AUTH_TIMEOUT_MS);
	// A sign-in that never ends must not hold the account: later requests sign in afresh.
	if (answer === PAST_DEADLINE) throw signInError(environment, { code: 'ETIMEDOUT', headers: {}, message: 'sign-in deadline passed' });
	if ('failure' in answer) throw signInError(environment, answer.failure);
	const token = parseJsonObject(answer.body)?.token;
	if (typeof token !== 'string' || token === '') throw new LetpayAuthUnavailableError(environment, 'the answer held no access token');
	return token;
}

/**
 * The credential's preAuthentication: the process's current token, or one from a sign-in shared
 * by every request of the process (accessTokens.ts). A request the node sends only to have n8n
 * store the current token (a publish-only gate) never signs in.
 */
export async function preAuthenticate(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
	const environment = resolveEnvironment(credentials);
	if (!environment.baseUrl) throw new LetpayAuthUnavailableError(environment, 'the Custom environment needs a base URL');
	const account = accountOf(credentials);
	if (isPublishOnly(credentials)) {
		const current = currentAccessToken(account);
		if (!current) throw new LetpayNotSentError();
		return { accessToken: current, signedInFor: issuedFor(current, account) };
	}
	const { token: accessToken, signedIn } = await accessTokenFor(account, async () => await requestAccessToken(helper, environment, credentials));
	if (signedIn) noteSignIn(credentials);
	return { accessToken, signedInFor: issuedFor(accessToken, account) };
}

/** True only when both parse and point at the same scheme, host and port. */
function isSameOrigin(url: string | undefined, baseUrl: string): boolean {
	const originOf = (text: string) => {
		try {
			return new URL(text).origin;
		} catch {
			return undefined;
		}
	};
	const target = url === undefined ? undefined : originOf(url);
	return target !== undefined && target !== 'null' && target === originOf(baseUrl);
}

/**
 * The credential's authenticate(): the access token goes only to the credential's base URL, and
 * only when it was issued for this very base URL, key and secret. The Test button's request is
 * Letpay's sign-in itself, built by the same code as a sign-in.
 */
export function authenticateRequest(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): IHttpRequestOptions {
	if (requestOptions.url === SIGN_IN_PATH && requestOptions.method === 'POST') {
		const signIn = signInRequest(credentials);
		return { ...requestOptions, ...signIn, headers: { ...requestOptions.headers, ...signIn.headers } };
	}
	// The node's deadline for this request passed while n8n was signing in: never send it now.
	if (!passSendGate(credentials)) throw new LetpayNotSentError();
	const token = String(credentials.accessToken ?? '');
	const target = requestOptions.baseURL ? `${requestOptions.baseURL}${requestOptions.url}` : requestOptions.url;
	const matches = token !== '' && credentials.signedInFor === issuedFor(token, accountOf(credentials)) && isSameOrigin(target, resolveEnvironment(credentials).baseUrl);
	if (!matches) return requestOptions;
	return { ...requestOptions, headers: { ...requestOptions.headers, 'X-Auth-Token': token } };
}
