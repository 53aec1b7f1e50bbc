import { existsSync, readFileSync } from 'node:fs';

import path from 'node:path';

import { buildAndPack, PROJECT_ROOT } from '../../scripts/lib/pack';
import { progress } from '../../scripts/lib/processes';
import { ensureN8n, N8N_RELEASES, type N8nRelease, type N8nRuntime } from '../../scripts/lib/runtimes';
import { DEFAULT_API_KEY, startLetpayEmulator } from '../letpayEmulator';
import { expectEqual, expectNoSecrets } from './assertions';
import { fixedAmount } from './fixedAmount';
import { getPayment, paymentsByReference, scheduledCapture, tokenExpiry, webhookCapture, type CaseContext } from './cases';
import { emulatorAccount, prepareN8n } from '../../scripts/lib/examples';
import { editorInBrowser } from './browser';
import { queueModeChecks } from './queueMode';
import { settledTrigger } from './trigger';

/*
 * End-to-end: the packed package installed into real n8n 2.x and 1.x (from a cache folder
 * outside the repo), the example workflows run against the Letpay sandbox emulator.
 * LETPAY_E2E_RELEASES=v2 (or v1) limits the run to one release.
 */
const CASES: Array<[string, (context: CaseContext) => Promise<void>]> = [
	['scheduled capture: 502s settled by verification, an unknown outcome found captured by Get (n8n execute)', scheduledCapture],
	['webhook capture: 502 verified (200), unknown or still pre-authorized (202); editor, credential test (n8n start)', webhookCapture],
	['token expiry between runs', tokenExpiry],
	['Get: a pre-authorized and a captured payment, an unknown one', getPayment],
	['Get Many by Reference: payments-by-reference example', paymentsByReference],
	['Amount typed as 12.345 in fixed mode: refused, never captured as 12.35', fixedAmount],
	['Letpay Trigger: PAID and DECLINED after real captures; forged PAID, duplicate, unknown, garbage, oversized, wrong secret (n8n start)', settledTrigger],
];

/** 2.x only: the editor in a real browser (Debian's Chromium, puppeteer-core). */
const V2_CASES: Array<[string, (context: CaseContext) => Promise<void>]> = [
	["editor in Chromium: Capture panel's safety notice, option labels not cut off, Amount 12.345 kept; its two outputs after a run; the Letpay Trigger's panel (n8n start)", editorInBrowser],
];

interface Row {
	version: string;
	name: string;
	passed: boolean;
	seconds: number;
	error?: string;
}

async function timed(row: Omit<Row, 'passed' | 'seconds'>, body: () => Promise<void>): Promise<Row> {
	const started = Date.now();
	try {
		await body();
		return { ...row, passed: true, seconds: (Date.now() - started) / 1000 };
	} catch (error) {
		return { ...row, passed: false, seconds: (Date.now() - started) / 1000, error: (error as Error).message };
	}
}

async function runRelease(runtime: N8nRuntime, tarball: string): Promise<Row[]> {
	const { version } = runtime;
	const emulator = await startLetpayEmulator();
	const rows: Row[] = [];
	try {
		let n8n: Awaited<ReturnType<typeof prepareN8n>> | undefined;
		rows.push(await timed({ version, name: 'install package, import credential + examples' }, async () => {
			n8n = await prepareN8n(runtime, tarball, emulatorAccount(emulator));
		}));
		if (!n8n) return rows;
		const secrets = new Set([DEFAULT_API_KEY.apiKey, DEFAULT_API_KEY.apiSecret]);
		for (const [name, run] of runtime.release === 'v2' ? [...CASES, ...V2_CASES] : CASES) {
			progress(`n8n ${version}: ${name}...`);
			rows.push(await timed({ version, name }, () => run({ n8n: n8n!, emulator })));
			for (const token of emulator.issuedAccessTokens) secrets.add(token);
		}
		const database = n8n.databasePath;
		rows.push(await timed({ version, name: `no secret in n8n's database (${secrets.size} checked)` }, async () => {
			// Credentials are stored encrypted; execution data must not hold a key, secret or token in clear.
			const files = [database, `${database}-wal`].filter((candidate) => existsSync(candidate));
			const stored = files.map((file) => readFileSync(file).toString('latin1')).join('\n');
			// Positive control: capture results (only in execution data, never in a workflow) are readable
			// in these files, so the search means something.
			expectEqual('execution data found in the database files', stored.includes('PROCESSING'), true);
			expectNoSecrets("n8n's database", stored, [...secrets]);
		}));
	} finally {
		await emulator.close();
	}
	return rows;
}

/** Queue mode (2.x): one timed row for the whole run, then a row per check of what it saw. */
async function runQueueMode(runtime: N8nRuntime, tarball: string): Promise<Row[]> {
	let checks: Awaited<ReturnType<typeof queueModeChecks>> = [];
	const name = 'queue mode: PostgreSQL + Redis, n8n main + 2 workers, webhook load, duplicates; then one n8n process';
	const whole = await timed({ version: runtime.version, name }, async () => {
		checks = await queueModeChecks(runtime, tarball);
	});
	const rows = [whole];
	for (const check of checks) rows.push(await timed({ version: runtime.version, name: check.name }, async () => await check.run()));
	return rows;
}

function printTable(rows: Row[]) {
	const lines = [
		'| n8n | case | result | seconds |',
		'| --- | --- | --- | --- |',
		...rows.map((row) => `| ${row.version} | ${row.name} | ${row.passed ? 'pass' : 'FAIL'} | ${row.seconds.toFixed(1)} |`),
	];
	process.stdout.write(`\n${lines.join('\n')}\n\n`);
	for (const row of rows.filter((r) => !r.passed)) process.stdout.write(`FAILED ${row.version} ${row.name}:\n${row.error}\n\n`);
}

async function main() {
	const releases = (process.env.LETPAY_E2E_RELEASES ?? 'v2,v1').split(',') as N8nRelease[];
	const tarball = await buildAndPack();
	// A first run installs every release (minutes each, mostly waiting on the registry): at once.
	const runtimes = await Promise.all(releases.map((release) => ensureN8n(release)));
	const rows: Row[] = [];
	for (const runtime of runtimes) rows.push(...(await runRelease(runtime, tarball)));
	const v2 = runtimes.find((runtime) => runtime.release === 'v2');
	if (v2) rows.push(...(await runQueueMode(v2, tarball)));
	printTable(rows);
	const reliability = path.join(PROJECT_ROOT, '.reports', 'reliability.txt');
	if (existsSync(reliability)) process.stdout.write(`${readFileSync(reliability, 'utf8')}\n`);
	process.stdout.write(
		`end-to-end: ${rows.filter((row) => row.passed).length}/${rows.length} passed on n8n ${releases.map((r) => N8N_RELEASES[r].version).join(' and ')}\n`,
	);
	process.exitCode = rows.every((row) => row.passed) ? 0 : 1;
}

main().catch((error: Error) => {
	process.stderr.write(`end-to-end suite crashed: ${error.stack ?? error.message}\n`);
	process.exitCode = 1;
});
