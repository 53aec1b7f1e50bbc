import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

import { exitWithin, registerCleanup, terminateSync } from './cleanup';
import { EXAMPLES, exampleWithCredential, importCredentialAndExamples, type LetpayAccount } from './examples';
import { N8nInstance } from './n8nInstance';
import { freePort, sleep } from './processes';
import type { PostgresServer, RedisServer } from './services';
import type { N8nRuntime } from './runtimes';

/*
 * n8n in queue mode ("scaling mode") on one machine: a main instance that receives webhooks and
 * puts executions in a Bull queue in Redis, and workers (`n8n worker`) that take them from there,
 * all sharing one PostgreSQL database and one user folder (so every worker loads the community
 * package installed in <user folder>/.n8n/nodes, as the main does).
 *
 * Ports: three n8n processes on one machine collide on everything that listens. Main: N8N_PORT.
 * Every worker starts a task broker for its own task-runner child (N8N_RUNNERS_BROKER_PORT,
 * default 5679; n8n 2.x always runs task runners, N8N_RUNNERS_ENABLED is only a deprecation
 * warning there); main does too unless OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true (set here).
 * Workers with QUEUE_HEALTH_CHECK_ACTIVE listen on QUEUE_HEALTH_CHECK_PORT (default 5678, main's
 * default port). Each gets a free one here, all distinct.
 * Not opened with these settings (would need ports of their own if switched on): task runners'
 * health check server (N8N_RUNNERS_HEALTH_CHECK_SERVER_PORT, 5681), the engine-v2 module
 * (N8N_ENGINE_PORT 3000 / N8N_ENGINE_CONTROL_PLANE_PORT 3001; it refuses queue mode anyway).
 *
 * Which worker ran an execution: the database does not say (execution_entity has no worker
 * column). Main logs "Execution 12 (job 7) finished" with a workerId only in JSON log metadata,
 * and that id is "worker-<hostname>" on a machine n8n takes for a container (/.dockerenv, as
 * here): the same for every worker. Each worker's own log says "Worker finished execution 12".
 */

export interface QueueModeOptions {
	runtime: N8nRuntime;
	tarball: string;
	account: LetpayAccount;
	postgres: PostgresServer;
	redis: RedisServer;
	workers?: number;
	/** Jobs one worker runs at the same time (`n8n worker --concurrency`). */
	concurrency?: number;
	/** The main instance's port (default: a free one). */
	port?: number;
}

/** What main and workers share: queue mode, Redis, PostgreSQL. */
export function queueEnvironment(postgres: PostgresServer, redis: RedisServer): NodeJS.ProcessEnv {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		// Else main warns at every start that manual executions will move to workers one day.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
}

/** One `n8n worker`, with ports of its own, whose log tells which executions it ran. */
export class N8nWorker {
	private process?: ChildProcess;
	private output = '';
	private unregister = () => {};

	constructor(
		readonly index: number,
		private readonly env: NodeJS.ProcessEnv,
		private readonly runtime: N8nRuntime,
		private readonly concurrency: number,
		readonly healthPort: number,
	) {}

	/** `ports`: two free ports no other process of this setup uses (task broker, health check). */
	static create(index: number, main: N8nInstance, concurrency: number, [brokerPort, healthPort]: number[]): N8nWorker {
		const env = {
			...main.env(),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1', // default "::", every interface
			// Workers would all append to <user folder>/.n8n/n8nEventLog-worker.log. Not beside it either:
			// each worker takes n8nEventLog-worker*.log there for leftovers of its own ("unsent events").
			N8N_EVENTBUS_LOGWRITER_LOGFULLPATH: path.join(main.userFolder, `worker-${index}`, 'n8nEventLog.log'),
		};
		return new N8nWorker(index, env, main.runtime, concurrency, healthPort);
	}

	get pid(): number | undefined {
		return this.process?.pid;
	}

	get log(): string {
		return this.output;
	}

	/** Ids of the executions this worker finished, from its log ("Worker finished execution 12 (job 7)"). */
	finishedExecutions(): string[] {
		return [...this.output.matchAll(/Worker finished execution (\d+) \(job/g)].map((match) => match[1]);
	}

	/** Until the worker says it is ready and its readiness endpoint (Redis and database reachable) answers 200. */
	async start(timeoutMs = 120_000) {
		const child = spawn(this.runtime.node, [this.runtime.n8nBin, 'worker', `--concurrency=${this.concurrency}`], {
			env: this.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.process = child;
		child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		this.unregister = registerCleanup(`n8n worker ${this.index}`, () => this.stop(), () => terminateSync(child, 'SIGTERM', 10_000));
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`n8n worker ${this.index} exited early (${child.exitCode})\n${this.output.slice(-4000)}`);
			if (this.output.includes('n8n worker is now ready')) {
				const readiness = await fetch(`http://127.0.0.1:${this.healthPort}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
				if (readiness?.status === 200) return;
			}
			await sleep(250);
		}
		throw new Error(`n8n worker ${this.index} was not ready within ${timeoutMs} ms\n${this.output.slice(-4000)}`);
	}

	/** SIGTERM: the worker finishes its running jobs first (N8N_GRACEFUL_SHUTDOWN_TIMEOUT, 30 s). */
	async stop() {
		const child = this.process;
		if (child && child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			if (!(await exitWithin(child, 40_000))) child.kill('SIGKILL');
		}
		this.unregister();
	}
}

export interface QueueModeN8n {
	main: N8nInstance;
	workers: N8nWorker[];
	/** Milliseconds per phase of the start. */
	timings: Record<string, number>;
	/** Worker index of every finished execution id. */
	whoRan(): Map<string, number>;
	/**
	 * Ids of the executions main has put in the queue so far ("Enqueued execution 12 (job 7)"). A
	 * webhook answered by Respond to Webhook is answered before its execution ends: its id is
	 * enqueued when the answer arrives, but maybe not yet finished.
	 */
	enqueued(): string[];
	/** Workers, then main; removes the user folder. */
	stop(): Promise<void>;
}

/** Nothing listens on them until the workers start: asked one by one, the system may give one twice. */
async function distinctFreePorts(count: number): Promise<number[]> {
	const ports = new Set<number>();
	while (ports.size < count) ports.add(await freePort());
	return [...ports];
}

async function timed<T>(timings: Record<string, number>, phase: string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	try {
		return await work();
	} finally {
		timings[phase] = Date.now() - started;
	}
}

/**
 * A fresh user folder with the packed package installed, the credential and the examples imported
 * into PostgreSQL, the webhook example published; main started, then the workers.
 */
export async function startQueueMode(options: QueueModeOptions): Promise<QueueModeN8n> {
	const { runtime, postgres, redis } = options;
	if (runtime.release !== 'v2') throw new Error('queue mode is set up for n8n 2.x only (publish:workflow, deprecations)');
	const timings: Record<string, number> = {};
	const main = await N8nInstance.create(runtime, { port: options.port, env: queueEnvironment(postgres, redis) });
	const workers: N8nWorker[] = [];
	const removeUserFolder = () => rmSync(main.userFolder, { recursive: true, force: true });
	const stop = async () => {
		await Promise.all(workers.map((worker) => worker.stop()));
		await main.stop();
		removeUserFolder();
		unregister();
	};
	// Workers register themselves (stopped first, being registered last).
	const unregister = registerCleanup(`n8n main on port ${main.port} and its user folder`, stop, () => {
		if (main.serverProcess) terminateSync(main.serverProcess, 'SIGTERM', 10_000);
		removeUserFolder();
	});
	try {
		// The first CLI call on an empty database runs every migration.
		await timed(timings, 'first CLI call: n8n migrations on PostgreSQL', async () => {
			const result = await main.cli(['list:workflow']);
			if (result.code !== 0) throw new Error(`n8n list:workflow exited with ${result.code}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
		});
		await timed(timings, 'npm install of the package tarball', () => main.installPackage(options.tarball));
		await timed(timings, 'import credential + examples (2 CLI calls)', () => importCredentialAndExamples(main, options.account));
		await timed(timings, 'publish the webhook and Letpay Trigger examples', async () => {
			await main.activate(exampleWithCredential(EXAMPLES.webhook).id);
			await main.activate(exampleWithCredential(EXAMPLES.settled).id);
		});
		await timed(timings, 'n8n main start (until "Editor is now accessible")', () => main.start());
		const count = options.workers ?? 2;
		const ports = await distinctFreePorts(2 * count);
		for (let index = 1; index <= count; index++) workers.push(N8nWorker.create(index, main, options.concurrency ?? 10, ports.slice(2 * index - 2, 2 * index)));
		await timed(timings, `${workers.length} workers start (in parallel, until ready)`, () => Promise.all(workers.map((worker) => worker.start())));
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		main,
		workers,
		timings,
		whoRan: () => new Map(workers.flatMap((worker) => worker.finishedExecutions().map((id) => [id, worker.index] as const))),
		enqueued: () => [...main.log.matchAll(/Enqueued execution (\d+) \(job/g)].map((match) => match[1]),
		stop,
	};
}
