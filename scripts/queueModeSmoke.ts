import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { emulatorAccount, HARMLESS_WEBHOOK_PROBE } from './lib/examples';
import { buildAndPack } from './lib/pack';
import { formatDuration, mustRun, progress } from './lib/processes';
import { startQueueMode, type QueueModeN8n } from './lib/queueMode';
import { ensureN8n } from './lib/runtimes';
import { ensureDebianPackages, postgresBinDir, startPostgres, startRedis, type PostgresServer } from './lib/services';
import { startLetpayEmulator } from '../test/letpayEmulator';

/*
 * Prototype: n8n 2.x in queue mode (main + 2 workers on one PostgreSQL and one Redis from Debian
 * packages) with the packed package installed, the webhook example published, and a burst of
 * webhook captures against the Letpay emulator. Prints the time of every phase, which worker ran
 * which execution and each n8n process's memory. Exit code 1 when a check fails.
 *   LETPAY_QUEUE_WEBHOOKS (default 50), LETPAY_QUEUE_CONCURRENCY (default 10 requests in flight),
 *   LETPAY_QUEUE_LOGS=<folder>: keep the logs of n8n main, workers, PostgreSQL and Redis there.
 */
const WEBHOOKS = Number(process.env.LETPAY_QUEUE_WEBHOOKS ?? 50);
const IN_FLIGHT = Number(process.env.LETPAY_QUEUE_CONCURRENCY ?? 10);

const phases: Array<[string, number]> = [];
async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	progress(`${name}...`);
	try {
		return await work();
	} finally {
		phases.push([name, Date.now() - started]);
	}
}

const failures: string[] = [];
function check(what: string, ok: boolean, detail = '') {
	if (!ok) failures.push(`${what}${detail ? `: ${detail}` : ''}`);
	progress(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? ` (${detail})` : ''}`);
}

/** Resident memory of a process and of each of its descendants (n8n's task runner), in MB. */
function memoryTree(pid: number): string {
	const parents = new Map<number, number>();
	for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
		} catch {
			// gone meanwhile
		}
	}
	const rss = (id: number) => {
		const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${id}/status`, 'utf8'));
		return match ? Math.round(Number(match[1]) / 1024) : 0;
	};
	const children = [...parents].filter(([, parent]) => parent === pid).map(([child]) => child);
	return [`${rss(pid)} MB`, ...children.map((child) => `child ${rss(child)} MB`)].join(' + ');
}

async function executionsInDatabase(postgres: PostgresServer): Promise<Array<{ id: string; status: string; mode: string }>> {
	const output = await mustRun(
		path.join(postgresBinDir()!, 'psql'),
		['-X', '-At', '-F', ',', '-h', postgres.host, '-p', String(postgres.port), '-U', postgres.user, '-d', postgres.database, '-c', 'SELECT id, status, mode FROM execution_entity ORDER BY id'],
		{ env: { ...process.env, PGPASSWORD: postgres.password } },
	);
	return output.trim().split('\n').filter(Boolean).map((line) => {
		const [id, status, mode] = line.split(',');
		return { id, status, mode };
	});
}

interface Answer {
	token: string;
	status: number;
	body: Record<string, unknown>;
	ms: number;
}

async function sendCaptures(url: string, tokens: string[]): Promise<Answer[]> {
	const answers: Answer[] = [];
	const queue = [...tokens];
	const sender = async () => {
		for (let token = queue.shift(); token !== undefined; token = queue.shift()) {
			const started = Date.now();
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ paymentToken: token, amount: 10 }),
				signal: AbortSignal.timeout(60_000),
			});
			const text = await response.text();
			let body: Record<string, unknown> = {};
			try {
				body = JSON.parse(text) as Record<string, unknown>;
			} catch {
				body = { unparsed: text.slice(0, 200) };
			}
			answers.push({ token, status: response.status, body, ms: Date.now() - started });
		}
	};
	await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
	return answers;
}

function keepLogs(n8n?: QueueModeN8n, postgres?: PostgresServer, redis?: { log: () => string }) {
	const folder = process.env.LETPAY_QUEUE_LOGS;
	if (!folder) return;
	mkdirSync(folder, { recursive: true });
	const logs: Array<[string, string | undefined]> = [
		['main.log', n8n?.main.log],
		...(n8n?.workers ?? []).map((worker): [string, string] => [`worker-${worker.index}.log`, worker.log]),
		['postgres.log', postgres?.log()],
		['redis.log', redis?.log()],
	];
	for (const [name, text] of logs) if (text !== undefined) writeFileSync(path.join(folder, name), text);
	progress(`logs kept in ${folder}`);
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];

async function main() {
	const started = Date.now();
	await phase('apt-get install postgresql redis-server (only if missing)', () => ensureDebianPackages(['postgresql', 'redis-server']));
	const tarball = await phase('build and pack the package', buildAndPack);
	const runtime = await phase('n8n 2.x runtime (cached install)', () => ensureN8n('v2'));
	const emulator = await startLetpayEmulator();
	let postgres: PostgresServer | undefined;
	let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
	let n8n: QueueModeN8n | undefined;
	try {
		postgres = await phase('PostgreSQL: initdb, start, create role and database', startPostgres);
		phases.push(['  of which initdb', postgres.timings.initdbMs], ['  of which postgres start', postgres.timings.startMs]);
		redis = await phase('Redis start', startRedis);
		const queueMode = await phase('n8n queue mode: migrations, package, imports, main + workers', () =>
			startQueueMode({ runtime, tarball, account: emulatorAccount(emulator), postgres: postgres!, redis: redis! }),
		);
		n8n = queueMode;
		for (const [name, ms] of Object.entries(queueMode.timings)) phases.push([`  ${name}`, ms]);
		await phase('webhook registered (a harmless probe answered)', () => queueMode.main.waitForWebhook('letpay-capture', HARMLESS_WEBHOOK_PROBE));
		// The probe's execution (and any other before the burst) may still be running: not counted.
		const earlier = new Set(queueMode.enqueued());

		const tokens = Array.from({ length: WEBHOOKS }, (_, index) => `queue-order-${String(index + 1).padStart(4, '0')}`);
		for (const paymentToken of tokens) emulator.preAuthorize({ paymentToken, amount: '10.00' });
		const answers = await phase(`${WEBHOOKS} webhook captures, ${IN_FLIGHT} in flight`, () => sendCaptures(`${queueMode.main.url}/webhook/letpay-capture`, tokens));
		// Respond to Webhook answers before the execution ends: wait for the workers to log the end.
		await phase('every execution finished in a worker log', async () => {
			const deadline = Date.now() + 30_000;
			while ([...queueMode.whoRan().keys()].filter((id) => !earlier.has(id)).length < WEBHOOKS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
		});

		const wrong = answers.filter((answer) => answer.status !== 200 || answer.body.captured !== true || answer.body.paymentToken !== answer.token);
		check(`every webhook answered 200 captured (${answers.length}/${WEBHOOKS} answered)`, answers.length === WEBHOOKS && wrong.length === 0, JSON.stringify(wrong.slice(0, 3)));
		const ledger = tokens.map((token) => emulator.capturesOf(token).map((capture) => capture.amountCents));
		check('the ledger holds each capture once, 1000 cents', ledger.every((cents) => cents.length === 1 && cents[0] === 1000), JSON.stringify(ledger.filter((cents) => cents.length !== 1).slice(0, 3)));
		check('no other capture in the ledger', emulator.allCaptures().length === WEBHOOKS, String(emulator.allCaptures().length));

		const ran = [...queueMode.whoRan()].filter(([id]) => !earlier.has(id));
		const perWorker = queueMode.workers.map((worker) => ran.filter(([, index]) => index === worker.index).length);
		check(`executions finished by the workers: ${perWorker.join(' + ')} = ${ran.length}`, ran.length === WEBHOOKS);
		check('both workers ran executions', perWorker.every((count) => count > 0));
		const enqueued = queueMode.enqueued().filter((id) => !earlier.has(id));
		check(`main enqueued exactly ${WEBHOOKS} executions for the burst`, enqueued.length === WEBHOOKS, String(enqueued.length));
		const mainRan = /Worker (started|finished) execution/.test(queueMode.main.log);
		check('main ran none itself (no "Worker started execution" in its log)', !mainRan);
		const rows = await executionsInDatabase(postgres);
		const burst = rows.filter((row) => ran.some(([id]) => id === row.id));
		check(`execution_entity: the ${WEBHOOKS} executions have status success, mode webhook`, burst.length === WEBHOOKS && burst.every((row) => row.status === 'success' && row.mode === 'webhook'), JSON.stringify(burst.filter((row) => row.status !== 'success').slice(0, 3)));

		const latencies = answers.map((answer) => answer.ms);
		process.stdout.write(
			[
				'',
				`Answers: p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${Math.max(...latencies)} ms`,
				`Memory (RSS now): main ${memoryTree(queueMode.main.serverProcess!.pid!)}; ${queueMode.workers.map((worker) => `worker ${worker.index} ${memoryTree(worker.pid!)}`).join('; ')}`,
				'',
			].join('\n'),
		);
	} finally {
		await phase('stop n8n, Redis, PostgreSQL, emulator', async () => {
			await n8n?.stop();
			await redis?.stop();
			await postgres?.stop();
			await emulator.close();
		});
		keepLogs(n8n, postgres, redis);
		rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
	process.stdout.write(`\n| phase | seconds |\n| --- | --- |\n${phases.map(([name, ms]) => `| ${name} | ${(ms / 1000).toFixed(1)} |`).join('\n')}\n`);
	process.stdout.write(`\nqueue mode smoke: ${failures.length === 0 ? 'passed' : `${failures.length} FAILED`} in ${formatDuration(Date.now() - started)}\n`);
	process.exitCode = failures.length === 0 ? 0 : 1;
}

main().catch((error: Error) => {
	process.stderr.write(`queue mode smoke crashed: ${error.stack ?? error.message}\n`);
	process.exit(1);
});
