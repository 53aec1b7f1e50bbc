import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { TestCredentialsHelper } from '../helpers/credentialsHelper';
import { runWorkflowWith } from '../helpers/engine';
import { ordersFor, paymentTokens, preAuthorizeAll } from '../helpers/captures';
import { ledger } from '../helpers/testbed';
import { startLetpayEmulator, type LetpayEmulator } from '../letpayEmulator';
import { SIGN_INS_PER_LIFETIME } from './model/invariants';
import { credentialHelpers, loadProcess, processName, type N8nProcess } from './model/processes';

/*
 * Letpay hands out a new access token with every answer and (in this mode) keeps only the newest
 * one valid: each token can carry one request, and every answer revokes the token every other
 * request holds. 600 captures within one token lifetime, from 6 executions of 100 items at
 * Concurrency 5, on one n8n process or on two queue-mode workers (two module instances of the node
 * sharing one credential store, as the money model runs them). Sign-ins must not grow with
 * traffic, and no capture may fail.
 */
const ACCOUNT = { apiKey: 'rotation-key', apiSecret: 'rotation-secret' };

function signInsBy(emulator: LetpayEmulator, worker: number): number {
	return emulator.requests.filter((request) => request.path === '/auth' && request.status === 200 && request.process === processName(worker)).length;
}

describe('rotating access tokens, only the newest valid', () => {
	let emulator: LetpayEmulator;
	beforeEach(async () => {
		emulator = await startLetpayEmulator({ refreshTokenMode: 'rotate', accessTokens: 'newest-only', apiKeys: [ACCOUNT] });
	});
	afterEach(async () => await emulator.close());

	/** `executions` of `items` payments each, spread over the workers, all at once. */
	async function captureAll(workers: N8nProcess[], helpers: TestCredentialsHelper[], { executions = 6, items = 100, options = { concurrency: 5 } as IDataObject } = {}) {
		const batches = Array.from({ length: executions }, (_unused, index) => paymentTokens(items, `rotation-${randomUUID().slice(0, 8)}-${index}`));
		for (const batch of batches) preAuthorizeAll(emulator, batch);
		const runs = await Promise.all(
			batches.map(async (batch, index) => {
				const worker = index % workers.length;
				const spec = { orders: ordersFor(batch), workflowId: `execution-${index + 1}`, onError: 'continueErrorOutput' as const, parameters: { options } };
				return await runWorkflowWith(workers[worker].nodeTypes, spec, helpers[worker]);
			}),
		);
		const captured = ledger(emulator);
		return {
			failures: runs.flatMap((run) => run.failed.map((item) => (item.json.error as { message: string }).message)),
			notCapturedOnce: batches.flat().filter((token) => captured[token]?.length !== 1),
			signIns: workers.map((_worker, index) => signInsBy(emulator, index)),
		};
	}

	async function captureSixHundred(workerCount: number) {
		const workers = Array.from({ length: workerCount }, () => loadProcess());
		return await captureAll(workers, credentialHelpers(workers, { environment: 'custom', baseUrl: emulator.url, ...ACCOUNT }));
	}

	test('one n8n process: the requests take turns, one per token; one sign-in, every payment captured once', async () => {
		const { failures, notCapturedOnce, signIns } = await captureSixHundred(1);

		expect(failures).toEqual([]);
		expect(notCapturedOnce).toEqual([]);
		expect(signIns).toEqual([1]);
	}, 60_000);

	test('two workers hand tokens to each other through n8n\'s credential store: at most 3 sign-ins each, every payment captured once', async () => {
		const { failures, notCapturedOnce, signIns } = await captureSixHundred(2);

		expect(failures).toEqual([]);
		expect(notCapturedOnce).toEqual([]);
		// The money model's invariant: at most 3 sign-ins per process and token lifetime.
		expect(signIns.map((count) => count <= SIGN_INS_PER_LIFETIME)).toEqual([true, true]);
	}, 60_000);

	test('items that run out of time say so; none blames the credentials, which Letpay never refused', async () => {
		// Concurrency 50 and 1 s timeouts over two workers: many requests are beaten to the token.
		const workers = [loadProcess(), loadProcess()];
		const helpers = credentialHelpers(workers, { environment: 'custom', baseUrl: emulator.url, ...ACCOUNT });

		const { failures } = await captureAll(workers, helpers, { executions: 4, items: 60, options: { concurrency: 50, timeout: 1_000 } });

		expect(emulator.requests.filter((request) => request.path === '/auth').map((request) => request.status)).not.toContain(401);
		expect(failures.filter((message) => /credentials/i.test(message))).toEqual([]);
	}, 60_000);
});
