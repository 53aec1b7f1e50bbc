import '../test/helpers/capturedLogs';

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DEFAULT_API_KEY, startLetpayEmulator, type LetpayEmulator } from '../test/letpayEmulator';
import { createCredentials, runCaptureWorkflow } from '../test/helpers/runWorkflow';
import { captureWithFetch, fetchAccessToken } from './bench/rawClient';
import { benchWorkflow, httpRequestNode, letpayNode } from './bench/workflows';
import { emulatorAccount, prepareN8n } from './lib/examples';
import { outputItems } from './lib/n8nInstance';
import { buildAndPack, PROJECT_ROOT } from './lib/pack';
import { progress } from './lib/processes';
import { ensureN8n } from './lib/runtimes';

/*
 * npm run bench: the same captures against the emulator (fixed added latency) by a raw fetch
 * loop, by the Letpay node in n8n-core's engine in this process, and by the Letpay node and n8n's
 * HTTP Request node inside a real n8n 2.x. All in one run, so the ratios compare like with like.
 * The Letpay node runs as the examples set it up: On Error -> Continue (using error output).
 */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const SEQUENTIAL_UP_TO = 1000; // concurrency 1 at 20 ms is 200 s per 10,000 items: left out there

interface Row {
	contender: string;
	concurrency: number;
	items: number;
	seconds: number;
	peakRssGrowthMb?: number;
}

function ordersFor(emulator: LetpayEmulator, size: number, tag: string) {
	emulator.forgetPayments();
	return Array.from({ length: size }, (_v, index) => {
		const paymentToken = `bench-${tag}-${size}-${index}`;
		emulator.preAuthorize({ paymentToken, amount: '100.00' });
		return { paymentToken, amount: 12.34 };
	});
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

async function inEngine(emulator: LetpayEmulator, size: number, concurrency: number): Promise<Row> {
	const orders = ordersFor(emulator, size, `engine-c${concurrency}`);
	const credentials = createCredentials();
	credentials.store('letpayApi', { environment: 'custom', baseUrl: emulator.url, ...DEFAULT_API_KEY });
	const { result, growthMb } = await withPeakRss(() =>
		runCaptureWorkflow({ orders, parameters: { options: { concurrency } }, onError: 'continueErrorOutput' }, credentials),
	);
	if (result.success.length !== size) throw new Error(`engine run captured ${result.success.length}/${size}`);
	const seconds = (result.run.data.resultData.runData.Letpay[0].executionTime ?? 0) / 1000;
	return { contender: 'Letpay node, n8n-core engine in-process', concurrency, items: size, seconds, peakRssGrowthMb: growthMb };
}

function ratio(value: number, base: number | undefined) {
	return base ? `${(value / base).toFixed(2)}x` : 'n/a';
}

function table(rows: Row[]): string {
	const raw = (row: Row) => rows.find((r) => r.contender.startsWith('raw') && r.items === row.items && r.concurrency === row.concurrency);
	const http = (row: Row) => rows.find((r) => r.contender.startsWith('HTTP') && r.items === row.items && r.concurrency === row.concurrency);
	return [
		'| contender | concurrency | items | seconds | items/s | time vs raw fetch | time vs HTTP Request node | peak RSS growth |',
		'| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
		...rows.map((row) =>
			[
				row.contender,
				row.concurrency,
				row.items.toLocaleString('en'),
				row.seconds.toFixed(2),
				Math.round(row.items / row.seconds).toLocaleString('en'),
				ratio(row.seconds, raw(row)?.seconds),
				ratio(row.seconds, http(row)?.seconds),
				row.peakRssGrowthMb === undefined ? '' : `${Math.round(row.peakRssGrowthMb)} MB`,
			].join(' | '),
		).map((line) => `| ${line} |`),
	].join('\n');
}

async function main() {
	const rows: Row[] = [];
	const emulator = await startLetpayEmulator({ captureLatencyMs: LATENCY_MS });
	const token = await fetchAccessToken(emulator.url, DEFAULT_API_KEY.apiKey, DEFAULT_API_KEY.apiSecret);
	try {
		for (const size of SIZES) {
			for (const concurrency of size <= SEQUENTIAL_UP_TO ? [1, 10] : [10]) {
				progress(`${size} items, concurrency ${concurrency}: raw fetch, engine...`);
				const seconds = await captureWithFetch(emulator.url, token, ordersFor(emulator, size, `raw-c${concurrency}`), concurrency);
				rows.push({ contender: 'raw fetch loop', concurrency, items: size, seconds });
				rows.push(await inEngine(emulator, size, concurrency));
			}
		}

		progress('real n8n 2.x: Letpay node and HTTP Request node...');
		const runtime = await ensureN8n('v2');
		const n8n = await prepareN8n(runtime, await buildAndPack(), emulatorAccount(emulator));
		const header = { id: 'benchHeaderAuth1', name: 'Letpay token header' };
		await n8n.importCredentials([{ ...header, type: 'httpHeaderAuth', data: { name: 'X-Auth-Token', value: token } }]);
		const letpayCredential = { id: 'letpayCred000001', name: 'Letpay API account' };
		for (const size of SIZES) {
			for (const concurrency of size <= SEQUENTIAL_UP_TO ? [1, 10] : [10]) {
				for (const [contender, node] of [
					['HTTP Request node, real n8n 2.41.1', httpRequestNode(emulator.url, concurrency, header)],
					['Letpay node, real n8n 2.41.1', letpayNode(concurrency, letpayCredential)],
				] as const) {
					progress(`${contender}: ${size} items, concurrency ${concurrency}...`);
					const id = `bench${contender[0]}${concurrency}x${size}`.slice(0, 16);
					await n8n.importWorkflow(benchWorkflow(id, ordersFor(emulator, size, id), node));
					const { run } = await n8n.execute(id);
					const captured = outputItems(run, 'Capture').length;
					if (captured !== size || emulator.allCaptures().length !== size) {
						throw new Error(`${contender} captured ${emulator.allCaptures().length}/${size} (${captured} items out)`);
					}
					const executionTime = (run.data.resultData.runData.Capture[0] as { executionTime?: number }).executionTime ?? 0;
					rows.push({ contender, concurrency, items: size, seconds: executionTime / 1000 });
				}
			}
		}
	} finally {
		await emulator.close();
	}

	const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
	const report = [
		'# Benchmark results',
		'',
		`Run ${new Date().toISOString()} with \`npm run bench\`, emulator latency ${LATENCY_MS} ms per capture, on ${machine}.`,
		'Seconds are the capture node\'s own execution time (n8n\'s `executionTime`), or the loop\'s wall time for raw fetch.',
		'',
		table(rows),
		'',
	].join('\n');
	mkdirSync(path.join(PROJECT_ROOT, 'bench'), { recursive: true });
	writeFileSync(path.join(PROJECT_ROOT, 'bench', 'RESULTS.md'), report);
	process.stdout.write(`\n${report}\n`);
	process.exit(0);
}

main().catch((error: Error) => {
	process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
	process.exit(1);
});
