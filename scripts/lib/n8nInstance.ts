import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { exitWithin } from './cleanup';
import { freePort, mustRun, runCommand, sleep } from './processes';
import type { N8nRuntime } from './runtimes';

export interface N8nInstanceOptions {
	userFolder?: string;
	port?: number;
	/** Added last to the environment of every CLI call and of `start` (e.g. queue mode on PostgreSQL). */
	env?: NodeJS.ProcessEnv;
}

/**
 * One n8n with its own user folder (sqlite database, settings, installed community packages),
 * driven through its CLI the way an administrator would.
 */
export class N8nInstance {
	readonly userFolder: string;
	private server?: ChildProcess;
	private serverLog = '';

	private constructor(
		readonly runtime: N8nRuntime,
		readonly port: number,
		private readonly brokerPort: number,
		userFolder: string,
		private readonly extraEnv: NodeJS.ProcessEnv = {},
	) {
		this.userFolder = userFolder;
	}

	static async create(runtime: N8nRuntime, options: N8nInstanceOptions = {}): Promise<N8nInstance> {
		const userFolder = options.userFolder ?? mkdtempSync(path.join(tmpdir(), `letpay-n8n-${runtime.version}-`));
		return new N8nInstance(runtime, options.port ?? (await freePort()), await freePort(), userFolder, options.env);
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get databasePath(): string {
		return path.join(this.userFolder, '.n8n', 'database.sqlite');
	}

	env(): NodeJS.ProcessEnv {
		return {
			...this.runtime.env,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'letpay-e2e-encryption-key',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_RUNNERS_ENABLED: 'true',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(this.port),
			WEBHOOK_URL: `${this.url}/`,
			DB_TYPE: 'sqlite',
			DB_SQLITE_POOL_SIZE: '2',
			N8N_SKIP_WEBHOOK_DEREGISTRATION_SHUTDOWN: 'true',
			N8N_PUBLIC_API_DISABLED: 'true',
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: 'info', // `execute` prints its JSON only at info
			// 2.x only (1.x refuses the unknown module name): it would reach an outside host.
			...(this.runtime.release === 'v2' ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
			...this.extraEnv,
		};
	}

	async cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}, output = { stdoutToFile: false }) {
		return await runCommand(this.runtime.node, [this.runtime.n8nBin, ...args], { env: { ...this.env(), ...extraEnv } }, output);
	}

	private async mustCli(args: string[]) {
		const result = await this.cli(args);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} exited with ${result.code}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
		}
		return result.stdout;
	}

	/** Exactly what a user does by hand: npm install of the packed tarball in ~/.n8n/nodes. */
	async installPackage(tarball: string) {
		const nodesFolder = path.join(this.userFolder, '.n8n', 'nodes');
		mkdirSync(nodesFolder, { recursive: true });
		await mustRun('npm', ['install', '--prefix', nodesFolder, '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', tarball], {
			env: this.runtime.env,
		});
	}

	private writeInput(name: string, data: unknown): string {
		const file = path.join(this.userFolder, name);
		writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	async importCredentials(credentials: object[]) {
		await this.mustCli(['import:credentials', `--input=${this.writeInput('credentials.json', credentials)}`]);
	}

	async importWorkflow(workflow: { id: string }) {
		await this.mustCli(['import:workflow', `--input=${this.writeInput(`workflow-${workflow.id}.json`, workflow)}`]);
	}

	/** Several workflows in one `import:workflow` call (it takes a list): one CLI start instead of many. */
	async importWorkflows(workflows: Array<{ id: string }>) {
		const name = `workflows-${workflows.map((workflow) => workflow.id).join('-')}.json`;
		await this.mustCli(['import:workflow', `--input=${this.writeInput(name, workflows)}`]);
	}

	/**
	 * Runs a workflow once and returns n8n's run data. `execute` prints log lines before its JSON
	 * and exits 0 even when it ran nothing, so a missing JSON is an error here.
	 */
	async execute(workflowId: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<ExecuteResult> {
		// A large run's JSON is megabytes, printed just before n8n exits: to a file, so none is lost.
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], extraEnv, { stdoutToFile: true });
		const lines = result.stdout.split('\n');
		const start = lines.findIndex((line) => line.startsWith('{'));
		if (start === -1) {
			throw new Error(`n8n execute --id=${workflowId} printed no result JSON (exit ${result.code})\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
		}
		// The JSON is pretty-printed: its last line is the only unindented "}". Log lines written
		// while it is printed may follow it.
		const end = lines.findIndex((line, index) => index > start && line === '}');
		const json = lines.slice(start, end === -1 ? undefined : end + 1).join('\n');
		try {
			return { exitCode: result.code, run: JSON.parse(json) as ExecuteRun, stderr: result.stderr };
		} catch (error) {
			throw new Error(`n8n execute --id=${workflowId}: unreadable result JSON (${(error as Error).message}); after it:\n${lines.slice(end + 1).join('\n').slice(0, 2000)}`);
		}
	}

	/** Takes effect at the next `start`: 2.x publishes the current version, 1.x sets it active. */
	async activate(workflowId: string) {
		if (this.runtime.release === 'v2') await this.mustCli(['publish:workflow', `--id=${workflowId}`]);
		else await this.mustCli(['update:workflow', `--id=${workflowId}`, '--active=true']);
	}

	/**
	 * `n8n start` in the background. n8n answers health checks before it has registered the
	 * webhooks of active workflows; it prints the editor URL only after that.
	 */
	async start(timeoutMs = 120_000) {
		// A second start waits for its own "Editor is now accessible", not the first one's.
		this.serverLog = '';
		this.server = spawn(this.runtime.node, [this.runtime.n8nBin, 'start'], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
		this.server.stdout?.on('data', (chunk: Buffer) => (this.serverLog += chunk.toString()));
		this.server.stderr?.on('data', (chunk: Buffer) => (this.serverLog += chunk.toString()));
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.server.exitCode !== null) throw new Error(`n8n start exited early\n${this.serverLog.slice(-4000)}`);
			if (this.serverLog.includes('Editor is now accessible via')) return;
			await sleep(250);
		}
		throw new Error(`n8n did not become ready within ${timeoutMs} ms\n${this.serverLog.slice(-4000)}`);
	}

	/**
	 * n8n registers the webhooks of published workflows in the background after start-up (2.x
	 * through its publication outbox), and answers 404 until then (an OPTIONS preflight is no
	 * reliable sign). The probe is a POST the workflow itself turns away without side effects.
	 */
	async waitForWebhook(webhookPath: string, probeBody: object, timeoutMs = 60_000) {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const response = await fetch(`${this.url}/webhook/${webhookPath}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify(probeBody),
			}).catch(() => undefined);
			if (response && response.status !== 404) return;
			await sleep(500);
		}
		throw new Error(`webhook ${webhookPath} was not registered within ${timeoutMs} ms\n${this.serverLog.slice(-4000)}`);
	}

	get log(): string {
		return this.serverLog;
	}

	/** The `n8n start` process, while there is one. */
	get serverProcess(): ChildProcess | undefined {
		return this.server;
	}

	async stop() {
		const server = this.server;
		if (!server || server.exitCode !== null) return;
		server.kill('SIGTERM');
		// No timer left behind: a pending 20 s sleep kept scripts alive after their last line.
		if (!(await exitWithin(server, 20_000))) server.kill('SIGKILL');
	}
}

export interface ExecuteRun {
	data: { resultData: { runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown }> | null> } }>>; error?: { message?: string } } };
	status?: string;
}

export interface ExecuteResult {
	exitCode: number;
	run: ExecuteRun;
	stderr: string;
}

/** Items that left `node` on output `output` in an `n8n execute` run (its first run). */
export function outputItems(run: ExecuteRun, node: string, output = 0) {
	return run.data.resultData.runData[node]?.[0]?.data?.main?.[output] ?? [];
}

/** Items that left `node` on output `output` over all its runs (a node fed by several branches runs once per branch). */
export function allOutputItems(run: ExecuteRun, node: string, output = 0) {
	return (run.data.resultData.runData[node] ?? []).flatMap((nodeRun) => nodeRun.data?.main?.[output] ?? []);
}

/** Whether `node` ran at all. */
export function ran(run: ExecuteRun, node: string): boolean {
	return (run.data.resultData.runData[node]?.length ?? 0) > 0;
}
