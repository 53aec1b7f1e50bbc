import { Workflow, type INode } from 'n8n-workflow';

import { LetpayApi } from '../../credentials/LetpayApi.credentials';
import { runCredentialTest } from '../helpers/credentialTest';
import { nodeTypes } from '../helpers/nodeTypes';
import { API_KEY, API_SECRET, useTestbed } from '../helpers/testbed';

const credentialType = new LetpayApi();

describe('Letpay API credential', () => {
	describe('the Test button checks the key and secret against POST /auth', () => {
		const testbed = useTestbed();
		const custom = () => ({ environment: 'custom', baseUrl: `${testbed.emulator.url}/`, apiKey: API_KEY, apiSecret: API_SECRET });

		test('right key and secret: connection successful', async () => {
			expect(await runCredentialTest(custom())).toEqual({ status: 'OK', message: 'Connection successful!' });
			// n8n first fetches a token (preAuthentication, multipart), then sends the test request itself.
			expect(testbed.emulator.requests.map((r) => [r.method, r.path, r.status])).toEqual([
				['POST', '/auth', 200],
				['POST', '/auth', 200],
			]);
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

		test('a token stored earlier does not hide a wrong secret: the test request itself is checked', async () => {
			const stale = { ...custom(), apiSecret: 'not-the-secret', accessToken: 'token-from-last-week' };

			expect(await runCredentialTest(stale)).toEqual(rejected());
			// The urlencoded test request is refused; n8n then asks for a new token, which is refused too.
			expect(testbed.emulator.requests.map((r) => [r.path, r.status])).toEqual([
				['/auth', 401],
				['/auth', 401],
			]);
			expect(testbed.emulator.requests[0].body).toBe(`apiKey=${API_KEY}&apiSecret=not-the-secret`);
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

	test('the access token is a hidden, expirable field, sent as X-Auth-Token', () => {
		expect(credentialType.properties.find((p) => p.name === 'accessToken')).toMatchObject({
			type: 'hidden',
			typeOptions: { expirable: true },
		});
		expect(credentialType.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { 'X-Auth-Token': '={{$credentials.accessToken}}' } },
		});
	});
});
