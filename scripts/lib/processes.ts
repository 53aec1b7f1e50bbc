import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface CommandResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Commands started by runCommand that have not ended yet (for scripts/lib/cleanup.ts). */
export const runningCommands = new Set<ChildProcess>();

/**
 * Runs a command to its end and keeps what it printed. Never throws on a non-zero exit.
 * `stdoutToFile`: the child writes its standard output to a file, read when it ends. Node writes
 * to a pipe asynchronously, so a program that exits right after printing megabytes (n8n execute
 * with a large run) loses the end of it on a pipe; writes to a file are synchronous.
 */
export function runCommand(command: string, args: string[], options: SpawnOptions = {}, { stdoutToFile = false } = {}): Promise<CommandResult> {
	return new Promise((resolve, reject) => {
		const file = stdoutToFile ? path.join(mkdtempSync(path.join(tmpdir(), 'letpay-stdout-')), 'stdout') : undefined;
		const fd = file ? openSync(file, 'w') : undefined;
		const child = spawn(command, args, { ...options, stdio: ['ignore', fd ?? 'pipe', 'pipe'] });
		runningCommands.add(child);
		child.on('exit', () => runningCommands.delete(child));
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', (error) => {
			runningCommands.delete(child);
			reject(error);
		});
		child.on('close', (code) => {
			if (file && fd !== undefined) {
				closeSync(fd);
				stdout = readFileSync(file, 'utf8');
				rmSync(path.dirname(file), { recursive: true, force: true });
			}
			resolve({ code: code ?? 1, stdout, stderr });
		});
	});
}

export async function mustRun(command: string, args: string[], options: SpawnOptions = {}): Promise<string> {
	const result = await runCommand(command, args, options);
	if (result.code !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} exited with ${result.code}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
		);
	}
	return result.stdout;
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** The preferred port when it is free on 127.0.0.1, else any free one. */
export async function preferredPort(preferred: number): Promise<number> {
	const free = await new Promise<boolean>((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
	return free ? preferred : await freePort();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function progress(message: string) {
	process.stdout.write(`[letpay] ${message}\n`);
}

export function formatDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** How often long work says it is alive: a newcomer's cold install takes many minutes. */
export const HEARTBEAT_MS = 15_000;

/**
 * Runs `work` and prints a line every `everyMs` with the elapsed time, what is being done, and
 * what `detail` reports (e.g. how much has been downloaded so far).
 */
export async function withHeartbeat<T>(
	doing: string,
	work: () => Promise<T>,
	detail: () => string | undefined = () => undefined,
	everyMs = HEARTBEAT_MS,
): Promise<T> {
	const started = Date.now();
	const timer = setInterval(() => {
		const extra = detail();
		progress(`... ${formatDuration(Date.now() - started)}: ${doing}${extra ? ` (${extra})` : ''}`);
	}, everyMs);
	try {
		return await work();
	} finally {
		clearInterval(timer);
	}
}
