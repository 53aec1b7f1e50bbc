import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { runWorkflowWith } from '../helpers/engine';
import { TestCredentialsHelper } from '../helpers/credentialsHelper';
import { ordersFor, paymentTokens, preAuthorizeAll } from '../helpers/captures';
import { ledger } from '../helpers/testbed';
import { findLeaks } from '../helpers/secrets';
import { capturedLogs } from '../helpers/capturedLogs';
import { startLetpayEmulator, type LetpayEmulator } from '../letpayEmulator';
import { loadProcess, processName } from '../reliability/model/processes';
import { accountKey, issuedFor } from '../../nodes/Letpay/transport/accessTokens';

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
