import { runWorkflowWith } from '../helpers/engine';
import { ordersFor, paymentTokens, preAuthorizeAll } from '../helpers/captures';
import { ledger } from '../helpers/testbed';
import { startLetpayEmulator, type LetpayEmulator } from '../letpayEmulator';
import { SIGN_INS_PER_LIFETIME } from './model/invariants';
import { credentialHelpers, loadProcess, processName } from './model/processes';

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

	async function captureSixHundred(workerCount: number) {
		const workers = Array.from({ length: workerCount }, () => loadProcess());
		const helpers = credentialHelpers(workers, { environment: 'custom', baseUrl: emulator.url, ...ACCOUNT });
		const batches = Array.from({ length: 6 }, (_unused, index) => paymentTokens(100, `rotation-${index}`));
		for (const batch of batches) preAuthorizeAll(emulator, batch);
		const runs = await Promise.all(
			batches.map(async (batch, index) => {
				const worker = index % workerCount;
				const spec = { orders: ordersFor(batch), workflowId: `execution-${index + 1}`, onError: 'continueErrorOutput' as const, parameters: { options: { concurrency: 5 } } };
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
});
