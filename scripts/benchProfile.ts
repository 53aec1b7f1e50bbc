import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { DEFAULT_API_KEY } from '../test/letpayEmulator';
import { profileBreakdown, type Breakdown, type CpuProfile } from './bench/profileBreakdown';
import { startRemoteEmulator, type RemoteEmulator } from './bench/remoteEmulator';
import { benchWorkflow, letpayNode } from './bench/workflows';
import { CREDENTIAL, prepareN8n } from './lib/examples';
import { outputItems, type N8nInstance } from './lib/n8nInstance';
import { buildAndPack } from './lib/pack';
import { progress } from './lib/processes';
import { ensureN8n } from './lib/runtimes';

/*
 * npm run bench:profile: where the capture node's time goes in a real n8n 2.x. The bench
 * workflow runs twice under `node --cpu-prof`, as shipped and with n8n's agents pooled, and the
 * main thread's samples between the node's first and last Letpay request are split by what they
 * were doing. Prints one table per run; profiles and n8n's folder live in temporary folders
 * removed at the end.
 */
const LATENCY_MS = 20;
const CONCURRENCY = 10;
const ITEMS = Number(process.env.BENCH_PROFILE_ITEMS ?? 1000);
const POOLED_AGENTS_PRELOAD = path.join(__dirname, 'bench', 'pooledAgentsPreload.js');

const RUNS = [
	{ id: 'profileShipped', label: 'as shipped', nodeOptions: [] as string[] },
	{ id: 'profilePooled', label: 'agents pooled', nodeOptions: ['--require', `"${POOLED_AGENTS_PRELOAD}"`] },
];

interface RunResult {
	label: string;
	breakdown: Breakdown;
	executionTimeMs: number;
}

async function freshOrders(emulator: RemoteEmulator, runId: string) {
	await emulator.forgetPayments();
	const paymentTokens = Array.from({ length: ITEMS }, (_v, index) => `${runId}-${Date.now()}-${index}`);
	await emulator.preAuthorize(paymentTokens, '100.00');
	return paymentTokens.map((paymentToken) => ({ paymentToken, amount: 12.34 }));
}

/** The one profile of the run that holds the capture (n8n's main process; any other has none). */
function captureBreakdown(profileDir: string): Breakdown {
	const files = readdirSync(profileDir).filter((file) => file.endsWith('.cpuprofile'));
	const found = files.flatMap((file) => {
		const breakdown = profileBreakdown(JSON.parse(readFileSync(path.join(profileDir, file), 'utf8')) as CpuProfile);
		return breakdown ? [breakdown] : [];
	});
	if (found.length !== 1) throw new Error(`${found.length} of ${files.length} profiles in ${profileDir} hold the capture, expected 1`);
	return found[0];
}

async function profiledRun(n8n: N8nInstance, emulator: RemoteEmulator, run: (typeof RUNS)[number], profileDir: string): Promise<RunResult> {
	progress(`${run.label}: ${ITEMS.toLocaleString('en')} captures, concurrency ${CONCURRENCY}, under --cpu-prof`);
	await n8n.importWorkflow(benchWorkflow(run.id, await freshOrders(emulator, run.id), letpayNode(CONCURRENCY, CREDENTIAL)));
	mkdirSync(profileDir);
	const nodeOptions = ['--cpu-prof', `--cpu-prof-dir="${profileDir}"`, ...run.nodeOptions].join(' ');
	const { run: result } = await n8n.execute(run.id, { NODE_OPTIONS: nodeOptions });
	const out = outputItems(result, 'Capture').length;
	const { captures, distinctCapturedTokens } = await emulator.counters();
	if (out !== ITEMS || captures !== ITEMS || distinctCapturedTokens !== ITEMS) {
		throw new Error(`${run.label}: ${out} items out, ${captures} captures of ${distinctCapturedTokens} payments, expected ${ITEMS}`);
	}
	const executionTimeMs = (result.data.resultData.runData.Capture[0] as { executionTime?: number }).executionTime ?? 0;
	return { label: run.label, breakdown: captureBreakdown(profileDir), executionTimeMs };
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const percent = (share: number) => `${Math.round(share * 100)}%`;

function table({ label, breakdown, executionTimeMs }: RunResult): string {
	return [
		`### ${label}: ${ITEMS.toLocaleString('en')} captures, concurrency ${CONCURRENCY}, emulator latency ${LATENCY_MS} ms`,
		'',
		'| Main thread, capture window | Seconds | Share |',
		'| --- | ---: | ---: |',
		`| Capture window (first to last sample in the Letpay client) | ${seconds(breakdown.windowMs)} | 100% |`,
		...breakdown.categories.map(({ name, ms, share }) => `| ${name} | ${seconds(ms)} | ${percent(share)} |`),
		`| Capture node's executionTime (n8n run data) | ${seconds(executionTimeMs)} | |`,
	].join('\n');
}

async function main() {
	const tempDir = mkdtempSync(path.join(tmpdir(), 'letpay-bench-profile-'));
	let emulator: RemoteEmulator | undefined;
	let n8n: N8nInstance | undefined;
	let tarball: string | undefined;
	let cleaned: Promise<void> | undefined;
	// Once, on the way out or on a signal: the emulator closed, every temporary folder removed.
	const cleanUp = () =>
		(cleaned ??= (async () => {
			await emulator?.close().catch(() => undefined);
			for (const dir of [tempDir, n8n?.userFolder, tarball && path.dirname(tarball)]) if (dir) rmSync(dir, { recursive: true, force: true });
		})());
	for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(1)));

	try {
		emulator = await startRemoteEmulator(LATENCY_MS);
		const runtime = await ensureN8n('v2');
		tarball = await buildAndPack();
		n8n = await prepareN8n(runtime, tarball, { baseUrl: emulator.url, apiKey: DEFAULT_API_KEY.apiKey, apiSecret: DEFAULT_API_KEY.apiSecret });
		const results: RunResult[] = [];
		for (const run of RUNS) results.push(await profiledRun(n8n, emulator, run, path.join(tempDir, run.id)));
		process.stdout.write(`\n## CPU profile of the capture node, real n8n ${runtime.version}\n\n${results.map(table).join('\n\n')}\n`);
	} finally {
		await cleanUp();
	}
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		process.stderr.write(`bench:profile failed: ${error.stack ?? error.message}\n`);
		process.exit(1);
	},
);
