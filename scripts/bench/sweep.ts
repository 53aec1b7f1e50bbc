import path from 'node:path';

import { DEFAULT_API_KEY } from '../../test/letpayEmulator';
import { createCredentials, runCaptureWorkflow } from '../../test/helpers/runWorkflow';
import { prepareN8n } from '../lib/examples';
import { outputItems } from '../lib/n8nInstance';
import { buildAndPack } from '../lib/pack';
import { ensureN8n } from '../lib/runtimes';
import { captureWithFetch, fetchAccessToken } from './rawClient';
import type { RemoteEmulator } from './remoteEmulator';
import { benchWorkflow, httpRequestNode, letpayNode } from './workflows';

/*
 * Sizes and concurrency: the Letpay node in n8n-core's engine in this process next to a raw
 * fetch loop, then inside a real n8n 2.x next to n8n's HTTP Request node.
 */
export interface SweepRow {
	contender: string;
	concurrency: number;
	items: number;
	seconds: number;
	peakRssGrowthMb?: number;
}

const SEQUENTIAL_UP_TO = 1000;
const POOLED_AT = 1000;
const POOLED_AGENTS = { NODE_OPTIONS: `--require ${path.join(__dirname, 'pooledAgentsPreload.js')}` }; // concurrency 1 at 20 ms is 200 s per 10,000 items: left out there
const concurrencies = (size: number) => (size <= SEQUENTIAL_UP_TO ? [1, 10] : [10]);

async function ordersFor(emulator: RemoteEmulator, size: number, tag: string): Promise<Array<{ paymentToken: string; amount: number }>> {
	await emulator.forgetPayments();
	const paymentTokens = Array.from({ length: size }, (_v, index) => `bench-${tag}-${size}-${index}`);
	await emulator.preAuthorize(paymentTokens, '100.00');
	return paymentTokens.map((paymentToken) => ({ paymentToken, amount: 12.34 }));
}

async function expectAllCaptured(emulator: RemoteEmulator, contender: string, size: number) {
	const { captures, distinctCapturedTokens } = await emulator.counters();
	if (captures !== size || distinctCapturedTokens !== size) throw new Error(`${contender}: ${captures} captures of ${distinctCapturedTokens} payments, expected ${size}`);
}

async function withPeakRss<T>(body: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
	global.gc?.();
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	try {
		const result = await body();
		peak = Math.max(peak, process.memoryUsage().rss);
		return { result, growthMb: (peak - baseline) / 1024 / 1024 };
	} finally {
		clearInterval(timer);
	}
}

export async function inProcessSweep(emulator: RemoteEmulator, sizes: number[], progress: (text: string) => void): Promise<SweepRow[]> {
	const rows: SweepRow[] = [];
	const token = await fetchAccessToken(emulator.url, DEFAULT_API_KEY.apiKey, DEFAULT_API_KEY.apiSecret);
	for (const size of sizes) {
		for (const concurrency of concurrencies(size)) {
			progress(`${size} items, concurrency ${concurrency}: raw fetch, then the node in n8n-core's engine`);
			const seconds = await captureWithFetch(emulator.url, token, await ordersFor(emulator, size, `raw-c${concurrency}`), concurrency);
			await expectAllCaptured(emulator, 'raw fetch', size);
			rows.push({ contender: 'raw fetch loop', concurrency, items: size, seconds });

			const orders = await ordersFor(emulator, size, `engine-c${concurrency}`);
			const credentials = createCredentials();
			credentials.store('letpayApi', { environment: 'custom', baseUrl: emulator.url, ...DEFAULT_API_KEY });
			const { result, growthMb } = await withPeakRss(() =>
				runCaptureWorkflow({ orders, parameters: { options: { concurrency } }, onError: 'continueErrorOutput' }, credentials),
			);
			await expectAllCaptured(emulator, 'engine', size);
			const seconds2 = (result.run.data.resultData.runData.Letpay[0].executionTime ?? 0) / 1000;
			rows.push({ contender: 'Letpay node, n8n-core engine in-process', concurrency, items: size, seconds: seconds2, peakRssGrowthMb: growthMb });
		}
	}
	return rows;
}

export async function realN8nSweep(emulator: RemoteEmulator, sizes: number[], progress: (text: string) => void): Promise<{ rows: SweepRow[]; version: string }> {
	const runtime = await ensureN8n('v2');
	const account = { baseUrl: emulator.url, apiKey: DEFAULT_API_KEY.apiKey, apiSecret: DEFAULT_API_KEY.apiSecret };
	const n8n = await prepareN8n(runtime, await buildAndPack(), account);
	const token = await fetchAccessToken(emulator.url, DEFAULT_API_KEY.apiKey, DEFAULT_API_KEY.apiSecret);
	const header = { id: 'benchHeaderAuth1', name: 'Letpay token header' };
	await n8n.importCredentials([{ ...header, type: 'httpHeaderAuth', data: { name: 'X-Auth-Token', value: token } }]);
	const letpayCredential = { id: 'letpayCred000001', name: 'Letpay API account' };
	const rows: SweepRow[] = [];
	for (const size of sizes) {
		for (const concurrency of concurrencies(size)) {
			const contenders: Array<[string, Record<string, unknown>, NodeJS.ProcessEnv]> = [
				[`HTTP Request node, real n8n ${runtime.version}`, httpRequestNode(emulator.url, concurrency, header), {}],
				[`Letpay node, real n8n ${runtime.version}`, letpayNode(concurrency, letpayCredential), {}],
			];
			// What the same n8n would do with pooled agents (patched in that process only, at one size).
			if (size === POOLED_AT) contenders.push([`Letpay node, real n8n ${runtime.version}, agents pooled`, letpayNode(concurrency, letpayCredential), POOLED_AGENTS]);
			for (const [index, [contender, node, env]] of contenders.entries()) {
				progress(`${contender}: ${size} items, concurrency ${concurrency}`);
				const id = `bench${index}c${concurrency}x${size}`;
				await n8n.importWorkflow(benchWorkflow(id, await ordersFor(emulator, size, id), node));
				const { run } = await n8n.execute(id, env);
				if (outputItems(run, 'Capture').length !== size) throw new Error(`${contender}: ${outputItems(run, 'Capture').length}/${size} items out`);
				await expectAllCaptured(emulator, contender, size);
				const executionTime = (run.data.resultData.runData.Capture[0] as { executionTime?: number }).executionTime ?? 0;
				rows.push({ contender, concurrency, items: size, seconds: executionTime / 1000 });
			}
		}
	}
	return { rows, version: runtime.version };
}
