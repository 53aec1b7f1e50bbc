import { Workflow, type ICredentialDataDecryptedObject, type IHttpRequestOptions, type INode } from 'n8n-workflow';

import { LetpayApi } from '../../credentials/LetpayApi.credentials';
import { accountKey, issuedFor } from '../../nodes/Letpay/transport/accessTokens';
import { runCredentialTest } from '../helpers/credentialTest';
import { nodeTypes } from '../helpers/nodeTypes';
import { useTestbed } from '../helpers/testbed';

const credentialType = new LetpayApi();
const MULTIPART = /^------n8nLetpay[0-9a-f]+\r\nContent-Disposition: form-data; name="apiKey"\r\n\r\n/;

describe('Letpay API credential', () => {
	describe('the Test button signs in exactly as a run does: POST /auth with a multipart form', () => {
		const testbed = useTestbed();
		const custom = () => ({ environment: 'custom', baseUrl: `${testbed.emulator.url}/`, ...testbed.account });

		test('right key and secret: connection successful', async () => {
			expect(await runCredentialTest(custom())).toEqual({ status: 'OK', message: 'Connection successful!' });
			// n8n first signs in (preAuthentication), then sends the test request: the same sign-in.
			expect(testbed.emulator.requests.map((r) => [r.method, r.path, r.status])).toEqual([
				['POST', '/auth', 200],
				['POST', '/auth', 200],
			]);
			for (const request of testbed.emulator.requests) expect(request.body).toMatch(MULTIPART);
		});

		const rejected = () => ({
			status: 'Error',
			message:
				`Letpay rejected the API key or API secret (Custom environment, ${testbed.emulator.url}). ` +
				'Check both values in the Letpay API credential, and that they were created for this environment.',
		});

		test('a wrong secret: says so plainly, naming the environment that was asked', async () => {
			expect(await runCredentialTest({ ...custom(), apiSecret: 'not-the-secret' })).toEqual(rejected());
		});

		test('a token stored earlier does not hide a wrong secret: the test request itself signs in', async () => {
			const stale = { ...custom(), apiSecret: 'not-the-secret', accessToken: 'token-from-last-week' };

			expect((await runCredentialTest(stale)).status).toBe('Error');
			expect(testbed.emulator.requests.map((r) => [r.path, r.status])).toEqual([
				['/auth', 401],
				['/auth', 401],
			]);
			expect(testbed.emulator.requests[0].body).toMatch(MULTIPART);
		});
	});

	test.each([
		[{ environment: 'sandbox' }, 'https://api-sandbox.letpay.io'],
		[{ environment: 'production' }, 'https://api.letpay.io'],
		[{ environment: 'custom', baseUrl: 'http://127.0.0.1:8787//' }, 'http://127.0.0.1:8787'],
	])('the test request goes to the selected environment: %p', (credentials, baseUrl) => {
		const node = { id: 'n', name: 'n', type: 'test.sink', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			credentialType.test.request.baseURL as string,
			'internal',
			{ $credentials: credentials },
		);
		expect(resolved).toBe(baseUrl);
	});

	test('the access token is a hidden, expirable field', () => {
		expect(credentialType.properties.find((p) => p.name === 'accessToken')).toMatchObject({
			type: 'hidden',
			typeOptions: { expirable: true },
		});
	});

	describe('an access token is sent only where, and for whom, it was issued', () => {
		const account = { environment: 'custom', baseUrl: 'https://letpay.example', apiKey: 'key-a', apiSecret: 'secret-a' };
		const signedIn = (data: ICredentialDataDecryptedObject, token = 'token-a'): ICredentialDataDecryptedObject => ({
			...data,
			accessToken: token,
			signedInFor: issuedFor(token, accountKey(String(data.baseUrl), String(data.apiKey), String(data.apiSecret))),
		});
		const capture: IHttpRequestOptions = { method: 'POST', url: 'https://letpay.example/token/pay-1/capture', headers: {} };
		const sent = async (data: ICredentialDataDecryptedObject, request = capture) =>
			(await credentialType.authenticate(data, request)).headers?.['X-Auth-Token'];

		test('to the base URL of the account it was issued for: sent as X-Auth-Token', async () => {
			expect(await sent(signedIn(account))).toBe('token-a');
		});

		test.each([
			['the API key was edited', { apiKey: 'key-b' }],
			['the API secret was edited', { apiSecret: 'secret-b' }],
			['the base URL was edited', { baseUrl: 'https://other-host.example' }],
			['the environment was switched', { environment: 'production' }],
		])('%s: the stored token is left out', async (_what, edit) => {
			expect(await sent({ ...signedIn(account), ...edit })).toBeUndefined();
		});

		test('a token stored by an older version, without what it was issued for: left out', async () => {
			expect(await sent({ ...account, accessToken: 'token-a' })).toBeUndefined();
		});

		test.each([
			['another host', 'https://evil.example/token/pay-1/capture'],
			['another port', 'https://letpay.example:8443/token/pay-1/capture'],
			['plain HTTP', 'http://letpay.example/token/pay-1/capture'],
			['user info that names another host', 'https://letpay.example@evil.example/token'],
		])('a request to %s never carries it', async (_what, url) => {
			expect(await sent(signedIn(account), { ...capture, url })).toBeUndefined();
		});

		test('the sign-in request gets the key and secret as a multipart form, and no token', async () => {
			const signIn = await credentialType.authenticate(signedIn(account), { method: 'POST', url: '/auth', baseURL: account.baseUrl });
			expect(String(signIn.body)).toMatch(MULTIPART);
			expect(String(signIn.body)).toContain('secret-a');
			expect(signIn.headers?.['X-Auth-Token']).toBeUndefined();
			expect(signIn.disableFollowRedirect).toBe(true);
		});
	});
});
