import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import {
	describeAuthFailure,
	LetpayAuthUnavailableError,
	LetpayCredentialsRejectedError,
	LetpayNotSentError,
} from '../nodes/Letpay/transport/credentialErrors';
import { PAST_DEADLINE, withDeadline } from '../nodes/Letpay/transport/deadline';
import { isPublishOnly, noteSignIn, passSendGate } from '../nodes/Letpay/transport/sendGate';
import {
	LETPAY_HOSTS,
	resolveEnvironment,
	type ResolvedEnvironment,
} from '../nodes/Letpay/transport/environment';
import { readHttpFailure } from '../nodes/Letpay/transport/httpFailure';
import { parseJsonObject } from '../nodes/Letpay/transport/jsonBody';
import { encodeMultipartForm } from '../nodes/Letpay/transport/multipartForm';
import { accessTokenFor, accountKey, currentAccessToken, issuedFor } from '../nodes/Letpay/transport/accessTokens';
import { isSameOrigin } from '../nodes/Letpay/transport/origin';

const AUTH_TIMEOUT_MS = 30_000;

function parseAccessToken(body: unknown): string | undefined {
	const token = parseJsonObject(body)?.token;
	return typeof token === 'string' && token !== '' ? token : undefined;
}

const SIGN_IN_PATH = '/auth';

/**
 * Letpay's sign-in request, as documented: the key and secret as multipart form data. Redirects
 * are never followed: a 307 would send the secret on to wherever it points.
 */
function signInRequest(credentials: ICredentialDataDecryptedObject) {
	const form = encodeMultipartForm({ apiKey: String(credentials.apiKey ?? ''), apiSecret: String(credentials.apiSecret ?? '') });
	return {
		headers: { 'Content-Type': form.contentType, Accept: 'application/json' },
		body: form.body,
		disableFollowRedirect: true,
	};
}

/** POST /auth; Letpay answers with a token. */
async function requestAccessToken(
	helper: IHttpRequestHelper,
	environment: ResolvedEnvironment,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	let body: unknown;
	try {
		const answer = await withDeadline(
			helper.helpers.httpRequest({
				method: 'POST',
				url: `${environment.baseUrl}${SIGN_IN_PATH}`,
				timeout: AUTH_TIMEOUT_MS,
				...signInRequest(credentials),
			}),
			AUTH_TIMEOUT_MS,
		);
		// A sign-in that never ends must not hold the account: later requests sign in afresh.
		if (answer === PAST_DEADLINE) throw Object.assign(new Error('sign-in deadline passed'), { code: 'ETIMEDOUT' });
		body = answer;
	} catch (error) {
		const failure = readHttpFailure(error);
		if (failure.status === 401 || failure.status === 403) {
			throw new LetpayCredentialsRejectedError(environment);
		}
		throw new LetpayAuthUnavailableError(environment, describeAuthFailure(failure.status, failure.code));
	}
	const accessToken = parseAccessToken(body);
	if (!accessToken) {
		throw new LetpayAuthUnavailableError(environment, 'the answer held no access token');
	}
	return accessToken;
}

export class LetpayApi implements ICredentialType {
	name = 'letpayApi';

	displayName = 'Letpay API';

	documentationUrl = 'https://developer.letpay.co/';

	icon: Icon = { light: 'file:../icons/letpay.svg', dark: 'file:../icons/letpay.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Sandbox', value: 'sandbox', description: LETPAY_HOSTS.sandbox },
				{ name: 'Production', value: 'production', description: LETPAY_HOSTS.production },
				{ name: 'Custom', value: 'custom', description: 'Any base URL, e.g. a proxy' },
			],
			default: 'sandbox',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://letpay-proxy.example.com',
			description: 'Base URL of the Letpay API, without a trailing slash',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Created in the Letpay merchant dashboard under API Keys',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Signed In For',
			name: 'signedInFor',
			type: 'hidden',
			default: '',
		},
	];

	/*
	 * Letpay access tokens live five minutes. n8n calls this when the stored token is empty or a
	 * request came back 401, stores what it returns, and resends the failed request once. The node
	 * also calls it (through a request that never goes out) to store a token an answer brought.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const environment = resolveEnvironment(credentials);
		if (!environment.baseUrl) {
			throw new LetpayAuthUnavailableError(environment, 'the Custom environment needs a base URL');
		}
		const account = accountKeyOf(credentials);
		if (isPublishOnly(credentials)) {
			// The node hands n8n the token an answer brought, for other processes to find: no sign-in.
			const current = currentAccessToken(account);
			if (!current) throw new LetpayNotSentError();
			return { accessToken: current, signedInFor: issuedFor(current, account) };
		}
		const { token: accessToken, signedIn } = await accessTokenFor(account, async () => await requestAccessToken(this, environment, credentials));
		if (signedIn) noteSignIn(credentials);
		return { accessToken, signedInFor: issuedFor(accessToken, account) };
	}

	/*
	 * The access token goes only to the base URL of the credential, and only when it was issued for
	 * this very base URL, key and secret (after an edit, the stored token belongs to the old ones:
	 * it is left out, Letpay answers 401, and n8n signs in again through preAuthentication).
	 * The Test button's request is Letpay's sign-in itself, built by the same code as above.
	 */
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) => {
		const environment = resolveEnvironment(credentials);
		if (requestOptions.url === SIGN_IN_PATH && requestOptions.method === 'POST') {
			const signIn = signInRequest(credentials);
			return { ...requestOptions, ...signIn, headers: { ...requestOptions.headers, ...signIn.headers } };
		}
		// The node's deadline for this request passed while n8n was signing in: never send it now.
		if (!passSendGate(credentials)) throw new LetpayNotSentError();
		const token = String(credentials.accessToken ?? '');
		const target = requestOptions.baseURL ? `${requestOptions.baseURL}${requestOptions.url}` : requestOptions.url;
		const matches =
			token !== '' &&
			credentials.signedInFor === issuedFor(token, accountKeyOf(credentials)) &&
			isSameOrigin(target, environment.baseUrl);
		if (!matches) return requestOptions;
		return { ...requestOptions, headers: { ...requestOptions.headers, 'X-Auth-Token': token } };
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : $credentials.environment === "production" ? "' +
				LETPAY_HOSTS.production +
				'" : "' +
				LETPAY_HOSTS.sandbox +
				'"}}',
			url: SIGN_IN_PATH,
			method: 'POST',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Letpay rejected the API key or API secret. Check both values and that they belong to the selected environment.',
				},
			},
		],
	};
}

function accountKeyOf(credentials: ICredentialDataDecryptedObject): string {
	return accountKey(resolveEnvironment(credentials).baseUrl, String(credentials.apiKey ?? ''), String(credentials.apiSecret ?? ''));
}
