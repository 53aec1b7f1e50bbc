import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { authenticateRequest, LETPAY_HOSTS, preAuthenticate, SIGN_IN_PATH } from '../nodes/Letpay/transport/signIn';

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
		return await preAuthenticate(this, credentials);
	}

	/*
	 * The access token goes only to the base URL of the credential, and only when it was issued for
	 * this very base URL, key and secret (after an edit, the stored token belongs to the old ones:
	 * it is left out, Letpay answers 401, and n8n signs in again through preAuthentication).
	 * The Test button's request is Letpay's sign-in itself, built by the same code as above.
	 */
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) => authenticateRequest(credentials, requestOptions);

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
