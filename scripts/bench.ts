import '../test/helpers/capturedLogs';

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { makeSelfSignedCertificate } from '../test/letpayEmulator/selfSignedCertificate';
import { floorAndCeiling } from './bench/floorAndCeiling';
import { startRemoteEmulator, type RemoteEmulator } from './bench/remoteEmulator';
import { floorAndCeilingTable, sweepTable, verdicts } from './bench/report';
import { inProcessSweep, realN8nSweep } from './bench/sweep';
import { PROJECT_ROOT } from './lib/pack';
import { progress } from './lib/processes';

/*
 * npm run bench, one run, one machine:
 * 1. floor and ceiling (this process, 1,000 captures, concurrency 10, HTTP and HTTPS): the node
 *    next to a raw keep-alive fetch, a bare loop of n8n's request helper (the floor a community
 *    node can reach) and the node with n8n's agents pooled (what n8n could give every node);
 * 2. sizes and concurrency, in n8n-core's engine here and in a real n8n 2.x, next to n8n's HTTP
 *    Request node.
 * The emulator runs in a child process so that the CPU counted here is the client's alone.
 */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const FLOOR_SIZE = Number(process.env.BENCH_FLOOR_SIZE ?? 1000);
const N8N_CORE_VERSION = (JSON.parse(readFileSync(require.resolve('n8n-core/package.json'), 'utf8')) as { version: string }).version;

/** Node reads extra trusted certificates only at start: made first, then the bench runs again trusting it. */
function rerunTrustingCertificate(): never {
	const certificate = makeSelfSignedCertificate();
	const { status } = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
		stdio: 'inherit',
		env: { ...process.env, NODE_EXTRA_CA_CERTS: certificate.certPath, LETPAY_BENCH_TLS: path.dirname(certificate.certPath) },
	});
	process.exit(status ?? 1);
}

async function withEmulator<T>(tlsFolder: string | undefined, body: (emulator: RemoteEmulator) => Promise<T>): Promise<T> {
	const emulator = await startRemoteEmulator(LATENCY_MS, tlsFolder);
	try {
		return await body(emulator);
	} finally {
		await emulator.close();
	}
}

async function main() {
	const tlsFolder = process.env.LETPAY_BENCH_TLS;
	if (!tlsFolder) rerunTrustingCertificate();
	const started = Date.now();
	const floor = { size: FLOOR_SIZE, concurrency: 10, rounds: ROUNDS, progress };
	const http = await withEmulator(undefined, (emulator) => floorAndCeiling(emulator, floor));
	const https = await withEmulator(tlsFolder, (emulator) => floorAndCeiling(emulator, floor));
	const engineRows = await withEmulator(undefined, (emulator) => inProcessSweep(emulator, SIZES, progress));
	const real = await withEmulator(undefined, (emulator) => realN8nSweep(emulator, SIZES, progress));

	const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
	const report = [
		'# Benchmark results',
		'',
		`Run ${new Date().toISOString()} with \`npm run bench\` (${Math.round((Date.now() - started) / 60000)} min), emulator latency ${LATENCY_MS} ms per capture, on ${machine}. All figures below come from this one run.`,
		'',
		`## Floor and ceiling: ${FLOOR_SIZE.toLocaleString('en')} captures, concurrency 10, n8n-core ${N8N_CORE_VERSION} in-process`,
		'',
		`Medians of ${ROUNDS} rounds (contenders take turns each round, after one warm-up round). Time is the capture node's own execution time, or the loop's wall time for raw fetch. CPU is this process's (the emulator runs in a child process). Connections are counted by the emulator; "left open" is counted 0.3 s after the run.`,
		'',
		floorAndCeilingTable(http, https),
		'',
		...verdicts(http, https, real.rows, `Letpay node, real n8n ${real.version}`, FLOOR_SIZE),
		'',
		'## Sizes and concurrency',
		'',
		"Seconds are the capture node's own execution time (n8n's `executionTime`), or the loop's wall time for raw fetch.",
		'',
		sweepTable([...engineRows, ...real.rows]),
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
