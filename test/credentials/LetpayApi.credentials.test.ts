import { Workflow, type ICredentialDataDecryptedObject, type IHttpRequestOptions, type INode } from 'n8n-workflow';

import { LetpayApi } from '../../credentials/LetpayApi.credentials';
import { accountKey, issuedFor } from '../../nodes/Letpay/transport/accessTokens';
import type { Fault } from '../letpayEmulator';
import { freshPaymentToken, ordersFor, OTHER_PAYMENT_TOKEN as OTHER, PAYMENT_TOKEN as TOKEN, paymentTokens, preAuthorizeAll } from '../helpers/captures';
import { runCredentialTest } from '../helpers/credentialTest';
import { nodeTypes } from '../helpers/nodeTypes';
import { captureRequests, ledger, useTestbed } from '../helpers/testbed';

const credentialType = new LetpayApi();
const MULTIPART = /^------n8nLetpay[0-9a-f]+\r\nContent-Disposition: form-data; name="apiKey"\r\n\r\n/;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/*
 * Whatever /auth answers, a failed sign-in means nothing was sent for the item, and the item
 * says so ("not captured"); a request whose fresh token is refused is resent after one more
 * sign-in at most (another n8n process may have revoked it), then fails, not captured.
 */
describe('hostile answers to the sign-in', () => {
	const testbed = useTestbed();
	beforeEach(() => testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' }));

	test.each<[string, Fault]>([
		['500 with an HTML page', { kind: 'html', status: 500 }],
		['200 with an HTML page', { kind: 'html', status: 200 }],
		['200 with an empty body', { kind: 'empty', status: 200 }],
		['200 JSON without a token', { kind: 'answer', status: 200, body: { user: { id: 1 }, version: '0.5.21' } }],
		['200 JSON whose token is a number', { kind: 'answer', status: 200, body: { token: 12345 } }],
		['200 JSON array', { kind: 'answer', status: 200, body: [{ token: 'x' }] as unknown as Record<string, unknown> }],
		['a connection reset', { kind: 'reset-before-read' }],
	])('/auth answering %s: not captured, nothing sent', async (_what, fault) => {
		testbed.emulator.injectAuthFault(fault);

		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

		expect(captureRequests(testbed.emulator)).toEqual([]);
		expect(failed[0]?.json.error).toMatchObject({ outcome: 'not_captured', letpayCodes: [] });
		expect(String((failed[0]?.json.error as { message: string }).message)).toMatch(/^Could not obtain a Letpay access token/);
	});

	test('401s on the resends after two fresh sign-ins: not resent again, and "not captured"', async () => {
		// Sign in once, let that token expire, and make the resends after the new sign-ins meet a 401 too.
		await testbed.run({ orders: [{ paymentToken: OTHER, amount: 10 }] });
		testbed.emulator.forgetPayments();
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' });
		testbed.emulator.expireAccessTokens();
		testbed.emulator.injectFault(TOKEN, { kind: 'answer', status: 401, body: { status: 401, message: 'Access Denied' } }, 2);

		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

		expect(captureRequests(testbed.emulator).map((request) => request.status)).toEqual([401, 401, 401]);
		expect(testbed.emulator.authCalls).toBe(3);
		expect(failed[0]?.json.error).toMatchObject({ outcome: 'not_captured', httpCode: '401', attempts: 3 });
	});
});

/*
 * The node's deadline covers the whole exchange, sign-in included. While the sign-in is still
 * under way nothing has been sent: the item then says "not captured, nothing was sent", and the
 * request never goes out afterwards (a capture arriving after the node reported would invite a
 * builder to capture again).
 */
describe('a sign-in slower than the capture timeout', () => {
	const testbed = useTestbed({ repeatCaptures: 'allow' });
	const NOT_SENT = {
		message: 'Letpay took longer than the timeout to sign in, so nothing was sent for this item',
		outcome: 'not_captured',
		retryAdvice: 'later',
	};

	test('the item says nothing was sent, and no capture request reaches Letpay afterwards', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' });
		testbed.emulator.injectAuthFault({ kind: 'latency', ms: 2500 });

		const { failed } = await testbed.run({
			orders: [{ paymentToken: TOKEN, amount: 10 }],
			parameters: { options: { timeout: 1000 } },
			onError: 'continueErrorOutput',
		});
		expect(failed[0]?.json.error).toMatchObject(NOT_SENT);

		await wait(3000); // the sign-in has finished by now
		expect(captureRequests(testbed.emulator)).toHaveLength(0);
		expect(ledger(testbed.emulator)).toEqual({});
	});

	/*
	 * A sign-in answer trickled for ever never settles by n8n's own timeout (it restarts with every
	 * byte). Requests that join it give up at their own deadline, saying nothing was sent, never
	 * "unknown"; the sign-in itself gives up after 30 s, and the next request signs in afresh.
	 */
	test('a sign-in that never finishes: later items say nothing was sent, never "unknown"', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' });
		testbed.emulator.preAuthorize({ paymentToken: OTHER, amount: '20.00' });
		testbed.emulator.injectAuthFault({ kind: 'trickle', intervalMs: 20, endless: true });

		const first = await testbed.run({
			orders: [{ paymentToken: TOKEN, amount: 10 }],
			parameters: { options: { timeout: 1000 } },
			onError: 'continueErrorOutput',
		});
		const later = await testbed.run({
			orders: [{ paymentToken: OTHER, amount: 10 }],
			parameters: { options: { timeout: 1000 } },
			onError: 'continueErrorOutput',
		});

		expect([first.failed[0]?.json.error, later.failed[0]?.json.error]).toEqual([expect.objectContaining(NOT_SENT), expect.objectContaining(NOT_SENT)]);
		expect(captureRequests(testbed.emulator)).toHaveLength(0);
	});
});

/* A failing sign-in is asked about rarely, whatever the number of items; "rejected" only on a 401 or 403. */
describe('sign-in failures under many items', () => {
	const testbed = useTestbed();

	test.each([
		[401, 'after_fixing_input', /rejected the API key/],
		[500, 'later', /Could not obtain a Letpay access token/],
	])('/auth answers %s for 20 captures and 20 look-ups', async (status, advice, message) => {
		const tokens = paymentTokens(20, freshPaymentToken().slice(0, 8));
		preAuthorizeAll(testbed.emulator, tokens);
		testbed.emulator.injectAuthFault({ kind: 'letpay-error', status, code: '', message: `bad ${testbed.account.apiSecret}` }, 1000);
		const capture = await testbed.run({ orders: ordersFor(tokens), parameters: { options: { concurrency: 10 } }, onError: 'continueErrorOutput' });
		const get = await testbed.run({ orders: ordersFor(tokens), parameters: { operation: 'get', preAuthorizedPayment: '={{ $json.paymentToken }}', options: { concurrency: 10 } }, onError: 'continueErrorOutput' });
		for (const run of [capture, get]) {
			expect(run.failed).toHaveLength(20);
			for (const item of run.failed) expect(item.json.error).toMatchObject({ retryAdvice: advice, ...(run === capture ? { message: expect.stringMatching(message) } : {}) });
		}
		expect(testbed.emulator.allCaptures()).toHaveLength(0);
		expect(testbed.emulator.requests.filter((r) => r.path === '/auth').length).toBeLessThanOrEqual(8);
	}, 30_000);
});
