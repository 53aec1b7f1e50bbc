import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import {
	describeAuthFailure,
	LetpayAuthUnavailableError,
	LetpayCredentialsRejectedError,
} from '../nodes/Letpay/transport/credentialErrors';
import {
	LETPAY_HOSTS,
	resolveEnvironment,
	type ResolvedEnvironment,
} from '../nodes/Letpay/transport/environment';
import { readHttpFailure } from '../nodes/Letpay/transport/httpFailure';
import { parseJsonObject } from '../nodes/Letpay/transport/jsonBody';
import { encodeMultipartForm } from '../nodes/Letpay/transport/multipartForm';
import { accountKey, sharedAccessToken } from '../nodes/Letpay/transport/sharedToken';

const AUTH_TIMEOUT_MS = 30_000;

function parseAccessToken(body: unknown): string | undefined {
	const token = parseJsonObject(body)?.token;
	return typeof token === 'string' && token !== '' ? token : undefined;
}

/** POST /auth with the key and secret as multipart form data; Letpay answers with a token. */
async function requestAccessToken(
	helper: IHttpRequestHelper,
	environment: ResolvedEnvironment,
	apiKey: string,
	apiSecret: string,
): Promise<string> {
	const form = encodeMultipartForm({ apiKey, apiSecret });
	let body: unknown;
	try {
		body = await helper.helpers.httpRequest({
			method: 'POST',
			url: `${environment.baseUrl}/auth`,
			headers: { 'Content-Type': form.contentType, Accept: 'application/json' },
			body: form.body,
			timeout: AUTH_TIMEOUT_MS,
		});
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
	];

	/*
	 * Letpay access tokens live five minutes. n8n calls this when the stored token is empty or a
	 * request came back 401, stores what it returns, and resends the failed request once.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const environment = resolveEnvironment(credentials);
		if (!environment.baseUrl) {
			throw new LetpayAuthUnavailableError(environment, 'the Custom environment needs a base URL');
		}
		const apiKey = String(credentials.apiKey ?? '');
		const apiSecret = String(credentials.apiSecret ?? '');
		const accessToken = await sharedAccessToken(
			accountKey(environment.baseUrl, apiKey, apiSecret),
			String(credentials.accessToken ?? ''),
			async () => await requestAccessToken(this, environment, apiKey, apiSecret),
		);
		return { accessToken };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-Auth-Token': '={{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : $credentials.environment === "production" ? "' +
				LETPAY_HOSTS.production +
				'" : "' +
				LETPAY_HOSTS.sandbox +
				'"}}',
			url: '/auth',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: {
				apiKey: '={{$credentials.apiKey}}',
				apiSecret: '={{$credentials.apiSecret}}',
			},
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
