import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { accountKey, issuedFor } from '../../nodes/Letpay/transport/accessTokens';
import { TOKEN_REFUSED_MESSAGES } from '../../nodes/Letpay/transport/letpayClient';
import { capturedLogs } from '../helpers/capturedLogs';
import { ordersFor, paymentTokens, preAuthorizeAll } from '../helpers/captures';
import { TestCredentialsHelper } from '../helpers/credentialsHelper';
import { runWorkflowWith } from '../helpers/engine';
import { findLeaks } from '../helpers/secrets';
import { captureRequests, ledger, storeAccessToken, useTestbed, type Testbed } from '../helpers/testbed';
import { startLetpayEmulator, type LetpayEmulator } from '../letpayEmulator';
import { auth, multipart } from '../letpayEmulator/emulatorClient';
import { loadProcess, processName } from '../reliability/model/processes';

/*
 * In n8n's queue mode several processes (workers) run the node; each keeps its own current
 * access token, and n8n's credential store (one database) holds the last token any of them got.
 * If Letpay keeps only the newest token valid, a worker whose token was revoked by another
 * worker's sign-in must take that worker's token from the store, not sign in again: two workers
 * signing in by turns would revoke each other's tokens for as long as captures run.
 */
const TOKEN = '0d7d6d84-4f2a-4a55-9d4b-0c4d2f3a9e11';

/** Another n8n process signs in for the same credential and saves the token, as n8n does after preAuthentication. */
async function anotherWorkerSignsIn(testbed: Testbed, savedAfterMs = 0): Promise<string> {
	const answer = await auth(testbed.emulator, multipart({ ...testbed.account }));
	const token = String(answer.body.token);
	if (savedAfterMs > 0) setTimeout(() => storeAccessToken(testbed, token), savedAfterMs);
	else storeAccessToken(testbed, token);
	return token;
}


describe('access tokens shared through n8n\'s credential store (queue mode)', () => {
	const testbed = useTestbed({ accessTokens: 'newest-only' });
	beforeEach(() => {
		testbed.emulator.preAuthorize({ paymentToken: 'warm-up-pay', amount: '1.00' });
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
	});

	test('a token revoked by another worker\'s sign-in: the node resends with the stored token, no sign-in of its own', async () => {
		await testbed.run({ orders: [{ paymentToken: 'warm-up-pay', amount: 1 }] });
		const ownToken = testbed.emulator.issuedAccessTokens[0];
		const othersToken = await anotherWorkerSignsIn(testbed);

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }] });

		expect(success[0].json).toMatchObject({ success: true, paymentToken: TOKEN });
		const sent = captureRequests(testbed.emulator).filter((request) => request.path.includes(TOKEN));
		expect(sent.map((request) => [request.status, request.authToken])).toEqual([
			[401, ownToken],
			[200, othersToken],
		]);
		// The node's first sign-in and the other worker's: none more.
		expect(testbed.emulator.authCalls).toBe(2);
		expect(ledger(testbed.emulator)[TOKEN]).toEqual([1000]);
	});

	test('the other worker\'s token reaches the store a moment after the 401: the node waits for it rather than signing in', async () => {
		await testbed.run({ orders: [{ paymentToken: 'warm-up-pay', amount: 1 }] });
		const othersToken = await anotherWorkerSignsIn(testbed, 100);

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }] });

		expect(success[0].json).toMatchObject({ success: true });
		const sent = captureRequests(testbed.emulator).filter((request) => request.path.includes(TOKEN));
		expect(sent.map((request) => request.status)).toEqual([401, 200]);
		expect(sent[1].authToken).toBe(othersToken);
		expect(testbed.emulator.authCalls).toBe(2);
	});

	test('a store that offers another token at every look, each refused: followed for the 50 token resends, no sign-in, then the item fails, not captured', async () => {
		await testbed.run({ orders: [{ paymentToken: 'warm-up-pay', amount: 1 }] });
		testbed.emulator.injectFault(TOKEN, { kind: 'unauthorized' }, 60);
		const stored = testbed.credentials.storedData('letpayApi');
		const account = accountKey(String(stored.baseUrl), testbed.account.apiKey, testbed.account.apiSecret);
		const read = testbed.credentials.getDecrypted.bind(testbed.credentials);
		let reads = 0;
		testbed.credentials.getDecrypted = async (...args: Parameters<typeof read>) => {
			const data = await read(...args);
			// The run's first read is the credential as saved; every later look finds a new token.
			if (reads++ === 0) return data;
			const token = `other-worker-token-${reads}`;
			return { ...data, accessToken: token, signedInFor: issuedFor(token, account) };
		};

		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

		// The credentials were never the problem: the message says so, and "later" is the advice.
		expect(failed[0].json.error).toMatchObject({ message: TOKEN_REFUSED_MESSAGES.resendsUsedUp, outcome: 'not_captured', retryAdvice: 'later', httpCode: '401', attempts: 51 });
		expect(captureRequests(testbed.emulator).filter((request) => request.path.includes(TOKEN))).toHaveLength(51);
		// Only the warm-up's: a sign-in would revoke the token of every other worker.
		expect(testbed.emulator.authCalls).toBe(1);
		expect(ledger(testbed.emulator)[TOKEN]).toBeUndefined();
	});

	test('a stored token issued for another account is never sent: the node signs in itself', async () => {
		await testbed.run({ orders: [{ paymentToken: 'warm-up-pay', amount: 1 }] });
		await anotherWorkerSignsIn(testbed);
		const stored = testbed.credentials.storedData('letpayApi');
		testbed.credentials.store('letpayApi', { ...stored, signedInFor: 'issued-for-another-account' });

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }] });

		expect(success[0].json).toMatchObject({ success: true });
		expect(testbed.emulator.authCalls).toBe(3);
	});
});

/*
 * Review attack: two queue-mode workers (two module instances of the node) sharing one credential store,
 * Letpay rotating its token on every answer and keeping only the newest. Once a worker has taken
 * a token from the store, it "publishes" each token an answer brings through a request that must
 * never go out (publish(): preAuthentication returns the current token, authenticate() throws).
 * Checked: no request other than Letpay's API reaches the server (a publish would be GET /),
 * every store write holds a token issued for this account, sign-ins stay bounded, every item
 * has one output and says the truth about its capture, no secret in outputs or logs.
 */
const ACCOUNT = { apiKey: 'publish-key', apiSecret: 'publish-secret' };

class WatchedStore extends Map<string, ICredentialDataDecryptedObject> {
	writes: ICredentialDataDecryptedObject[] = [];
	set(key: string, value: ICredentialDataDecryptedObject) {
		this.writes?.push(value);
		return super.set(key, value);
	}
}

interface Case {
	name: string;
	workers: number;
	executions: number;
	items: number;
	concurrency: number;
	timeout: number;
	expireAfter?: number;
	captureLatencyMs?: number;
}

const CASES: Case[] = [
	{ name: '2 workers, 4 executions x 60 items, concurrency 50, timeout 1000', workers: 2, executions: 4, items: 60, concurrency: 50, timeout: 1_000 },
	{ name: '2 workers, 4 executions x 60 items, concurrency 1, timeout 1000', workers: 2, executions: 4, items: 60, concurrency: 1, timeout: 1_000 },
	{ name: '2 workers, 4 x 60 items, concurrency 10, tokens expire after 100 requests', workers: 2, executions: 4, items: 60, concurrency: 10, timeout: 5_000, expireAfter: 100 },
	{ name: '3 workers, 6 x 40 items, concurrency 5, latency 20 ms', workers: 3, executions: 6, items: 40, concurrency: 5, timeout: 5_000, captureLatencyMs: 20 },
];

describe.each(CASES)('review: $name', (spec) => {
	let emulator: LetpayEmulator;
	beforeEach(async () => {
		emulator = await startLetpayEmulator({
			refreshTokenMode: 'rotate',
			accessTokens: 'newest-only',
			apiKeys: [ACCOUNT],
			...(spec.expireAfter ? { expireTokensAfterRequests: spec.expireAfter } : {}),
			...(spec.captureLatencyMs ? { captureLatencyMs: spec.captureLatencyMs } : {}),
		});
	});
	afterEach(async () => await emulator.close());

	test('no publish goes out, store holds only this account\'s tokens, bounded sign-ins, truthful items', async () => {
		const workers = Array.from({ length: spec.workers }, () => loadProcess());
		const store = new WatchedStore([['letpayApi', { environment: 'custom', baseUrl: emulator.url, ...ACCOUNT }]]);
		const helpers = workers.map((worker, index) => new TestCredentialsHelper({ letpayApi: worker.credentialType }, store, processName(index)));
		const batches = Array.from({ length: spec.executions }, (_unused, index) => paymentTokens(spec.items, `pub-${spec.workers}-${spec.concurrency}-${index}`));
		for (const batch of batches) preAuthorizeAll(emulator, batch);
		const logStart = capturedLogs.length;
		const runs = await Promise.all(
			batches.map(async (batch, index) => {
				const worker = index % spec.workers;
				const run = { orders: ordersFor(batch), workflowId: `execution-${index + 1}`, onError: 'continueErrorOutput' as const, parameters: { options: { concurrency: spec.concurrency, timeout: spec.timeout } } };
				return await runWorkflowWith(workers[worker].nodeTypes, run, helpers[worker]);
			}),
		);
		const captured = ledger(emulator);
		const account = accountKey(emulator.url, ACCOUNT.apiKey, ACCOUNT.apiSecret);
		const nonApi = emulator.requests.filter((request) => request.path !== '/auth' && !/^\/token\/[^/]+\/capture$/.test(request.path));
		const noToken = emulator.requests.filter((request) => request.path !== '/auth' && !request.authToken);
		const badWrites = store.writes.filter((data) => data.accessToken && data.signedInFor !== issuedFor(String(data.accessToken), account));
		const foreignWrites = store.writes.filter((data) => data.accessToken && !emulator.issuedAccessTokens.includes(String(data.accessToken)));
		const signIns = workers.map((_w, index) => emulator.requests.filter((request) => request.path === '/auth' && request.status === 200 && request.process === processName(index)).length);
		const lost = emulator.requests.filter((request) => request.lostToken !== undefined).length;
		const outputs = runs.map((run) => run.success.length + run.failed.length);
		const lies: string[] = [];
		runs.forEach((run, index) => {
			for (const item of run.success) if (captured[String(item.json.paymentToken)]?.length !== 1) lies.push(`exec ${index} success but ledger ${JSON.stringify(captured[String(item.json.paymentToken)])}`);
			for (const item of run.failed) {
				const error = item.json.error as IDataObject;
				const times = captured[String(item.json.paymentToken)]?.length ?? 0;
				if (error.outcome === 'not_captured' && times > 0) lies.push(`exec ${index} not_captured but captured ${times}x`);
				if (times > 1) lies.push(`exec ${index} captured ${times}x`);
			}
		});
		const doubles = Object.entries(captured).filter(([, list]) => list.length > 1);
		const failures = runs.flatMap((run) => run.failed.map((item) => `${(item.json.error as IDataObject).outcome}: ${String((item.json.error as IDataObject).message).slice(0, 90)}`));
		const secrets = [ACCOUNT.apiKey, ACCOUNT.apiSecret, ...emulator.issuedAccessTokens];
		const leaks = [...findLeaks(JSON.stringify(runs.map((run) => run.run.data.resultData)), secrets), ...findLeaks(capturedLogs.slice(logStart).join('\n'), secrets)];
		expect(failures.filter((failure) => failure.includes('credentials'))).toEqual([]);
		expect(nonApi).toEqual([]);
		expect(noToken).toEqual([]);
		expect(badWrites).toEqual([]);
		expect(foreignWrites).toEqual([]);
		expect(outputs).toEqual(batches.map(() => spec.items));
		expect(doubles).toEqual([]);
		expect(lies).toEqual([]);
		expect(leaks).toEqual([]);
		const lifetimes = spec.expireAfter ? 2 : 1;
		for (const count of signIns) expect(count).toBeLessThanOrEqual(3 * lifetimes + lost);
	}, 120_000);
});
