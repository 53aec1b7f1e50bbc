import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { progress, runningCommands } from './processes';

/*
 * Servers and n8n processes started for a run must not outlive it, whatever ends the run: the
 * script's own `finally`, Ctrl-C, a SIGTERM from CI, or an exception that reaches process.exit.
 * Each one registers how to stop it gracefully (awaited on a signal) and a last resort that
 * works synchronously (all that an 'exit' handler may do: SIGKILL, rmSync). Commands still running
 * under runCommand are ended too. Nothing is installed until something registers: scripts that
 * never call registerCleanup keep their own signal handling.
 */
interface Cleanup {
	name: string;
	stop: () => Promise<void>;
	lastResort: () => void;
}

const pending = new Set<Cleanup>();
let installed = false;

async function stopAll() {
	// A CLI call in progress (e.g. an n8n import) would otherwise outlive the database it talks to.
	await Promise.all(
		[...runningCommands].map(async (child) => {
			child.kill('SIGTERM');
			if (!(await exitWithin(child, 10_000))) child.kill('SIGKILL');
		}),
	);
	// Last started first: n8n before the databases it writes to.
	for (const cleanup of [...pending].reverse()) {
		await cleanup.stop().catch((error: Error) => progress(`could not stop ${cleanup.name}: ${error.message}`));
		pending.delete(cleanup);
	}
}

function install() {
	if (installed) return;
	installed = true;
	process.once('exit', () => {
		for (const child of runningCommands) terminateSync(child, 'SIGTERM', 5_000);
		for (const cleanup of pending) {
			try {
				cleanup.lastResort();
			} catch {
				// Nothing more can be done while the process exits.
			}
		}
	});
	for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
		process.once(signal, () => {
			const running = [...runningCommands].map((child) => child.spawnargs.slice(0, 3).map((arg) => path.basename(arg)).join(' '));
			progress(`${signal}: stopping ${[...running, ...[...pending].map((cleanup) => cleanup.name)].join(', ') || 'nothing'}...`);
			void stopAll().finally(() => process.exit(code));
		});
	}
}

/** Registers a running thing; the returned function unregisters it (call it once it is stopped). */
export function registerCleanup(name: string, stop: () => Promise<void>, lastResort: () => void): () => void {
	install();
	const cleanup = { name, stop, lastResort };
	pending.add(cleanup);
	return () => pending.delete(cleanup);
}

function gone(pid: number): boolean {
	try {
		// A child that exited stays a zombie ("Z") until Node reaps it, which a sync loop never lets happen.
		return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
	} catch {
		return true;
	}
}

/**
 * For 'exit' handlers, where nothing asynchronous runs any more: `signal` first (a clean shutdown
 * leaves no shared memory or half-written files behind), SIGKILL if the child is still there after
 * `ms`. Blocks meanwhile.
 */
export function terminateSync(child: ChildProcess, signal: NodeJS.Signals, ms: number) {
	const pid = child.pid;
	if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	child.kill(signal);
	const deadline = Date.now() + ms;
	const pause = new Int32Array(new SharedArrayBuffer(4));
	while (!gone(pid) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 25);
	if (!gone(pid)) child.kill('SIGKILL');
}

/** Whether the child exits within `ms` (no timer is left behind to keep the process alive). */
export function exitWithin(child: ChildProcess, ms: number): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), ms);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}
