import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { exitWithin, registerCleanup, terminateSync } from './cleanup';
import { formatDuration, freePort, mustRun, progress, runCommand, sleep, withHeartbeat } from './processes';

/*
 * Throwaway PostgreSQL and Redis servers from Debian's packages, each in its own temporary folder
 * on a free loopback port, for n8n's queue mode. Nothing of the system's own services is used or
 * touched (Debian's packages come with a cluster and a service of their own; they are left alone).
 */

/** The newest /usr/lib/postgresql/<version>/bin holding initdb and postgres. */
export function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	return readdirSync(root)
		.sort((a, b) => Number(b) - Number(a))
		.map((version) => path.join(root, version, 'bin'))
		.find((bin) => existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'postgres')));
}

function onPath(binary: string): string | undefined {
	const folders = [...(process.env.PATH ?? '').split(path.delimiter).filter((folder) => path.isAbsolute(folder)), '/usr/sbin', '/usr/bin'];
	return folders.map((folder) => path.join(folder, binary)).find((candidate) => existsSync(candidate));
}

/** How to tell a Debian package is usable without asking dpkg: the binaries this project runs. */
const BINARIES: Record<string, () => string | undefined> = {
	postgresql: () => postgresBinDir(),
	'redis-server': () => onPath('redis-server'),
};

async function installed(pkg: string): Promise<boolean> {
	const probe = BINARIES[pkg];
	if (probe) return probe() !== undefined;
	const status = await runCommand('dpkg-query', ['-W', '-f=${Status}', pkg]);
	return status.stdout.includes('install ok installed');
}

/** `apt-get install` of the packages whose binaries are missing (a few seconds to a minute each). */
export async function ensureDebianPackages(packages: string[]): Promise<void> {
	const missing: string[] = [];
	for (const pkg of packages) if (!(await installed(pkg))) missing.push(pkg);
	if (missing.length === 0) return;
	if (process.getuid?.() !== 0) {
		throw new Error(`missing Debian packages: ${missing.join(' ')}. Install them first: sudo apt-get install -y ${missing.join(' ')}`);
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const apt = (args: string[]) => runCommand('apt-get', ['-o', 'DPkg::Lock::Timeout=120', ...args], { env });
	const started = Date.now();
	const doing = `apt-get install ${missing.join(' ')}`;
	progress(`${doing}...`);
	await withHeartbeat(doing, async () => {
		let result = await apt(['install', '-y', '--no-install-recommends', ...missing]);
		// Fresh containers ship without package lists; stale lists point at files long gone.
		if (result.code !== 0 && /Unable to locate package|has no installation candidate|Failed to fetch|404\s+Not Found/i.test(result.stdout + result.stderr)) {
			progress('the package lists are missing or stale: apt-get update...');
			await mustRun('apt-get', ['-o', 'DPkg::Lock::Timeout=120', 'update'], { env });
			result = await apt(['install', '-y', '--no-install-recommends', ...missing]);
		}
		if (result.code !== 0) throw new Error(`${doing} exited with ${result.code}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
	});
	const still = [];
	for (const pkg of missing) if (!(await installed(pkg))) still.push(pkg);
	if (still.length > 0) throw new Error(`${doing} succeeded but ${still.join(', ')} still cannot be found`);
	progress(`${missing.join(', ')} installed in ${formatDuration(Date.now() - started)}`);
}

interface Daemon {
	child: ChildProcess;
	log: () => string;
	stop: () => Promise<void>;
}

interface DaemonSpec {
	name: string;
	command: string;
	args: string[];
	options: SpawnOptions;
	/** Printed by the server once it accepts connections. */
	ready: string;
	/** The signal for a quick, clean shutdown (postgres: SIGINT; SIGTERM waits for clients). */
	stopSignal: NodeJS.Signals;
	/** Removed once the server is gone. */
	folder: string;
	timeoutMs?: number;
}

/** A server in the foreground of a child process, stopped and its folder removed whatever happens. */
async function startDaemon(spec: DaemonSpec): Promise<Daemon> {
	const child = spawn(spec.command, spec.args, { ...spec.options, stdio: ['ignore', 'pipe', 'pipe'] });
	let log = '';
	child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
	const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
	const removeFolder = () => rmSync(spec.folder, { recursive: true, force: true });
	let unregister = () => {};
	const running = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
	const stop = async () => {
		if (running()) {
			child.kill(spec.stopSignal);
			if (!(await exitWithin(child, 15_000))) {
				child.kill('SIGKILL');
				await exitWithin(child, 5_000);
			}
		}
		removeFolder();
		unregister();
	};
	unregister = registerCleanup(spec.name, stop, () => {
		terminateSync(child, spec.stopSignal, 5_000);
		removeFolder();
	});
	const deadline = Date.now() + (spec.timeoutMs ?? 30_000);
	let failure: string | undefined;
	void spawnError.then((error) => (failure = error.message));
	while (!log.includes(spec.ready)) {
		if (failure || !running() || Date.now() > deadline) {
			const reason = failure ?? (running() ? 'timeout' : `exit ${child.exitCode ?? child.signalCode}`);
			await stop();
			throw new Error(`${spec.name} did not start (${reason})\n${log.slice(-3000)}`);
		}
		await sleep(100);
	}
	return { child, log: () => log, stop };
}

/** uid/gid of the `postgres` account Debian's package creates: postgres refuses to run as root. */
function postgresAccount(): { uid: number; gid: number } {
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith('postgres:'));
	if (!line) throw new Error('running as root, but there is no "postgres" account to run PostgreSQL as (apt-get install postgresql creates it)');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

export interface PostgresServer {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	/** Milliseconds spent in initdb and in starting the server until it accepted connections. */
	timings: { initdbMs: number; startMs: number };
	log: () => string;
	stop: () => Promise<void>;
}

/**
 * A fresh PostgreSQL cluster in a temporary folder on a free loopback port, with a database and
 * a password-protected role for n8n. Durability is switched off: it is thrown away afterwards.
 */
export async function startPostgres(database = 'n8n', user = 'n8n'): Promise<PostgresServer> {
	const bin = postgresBinDir();
	if (!bin) throw new Error('no PostgreSQL server found in /usr/lib/postgresql/*/bin: ensureDebianPackages(["postgresql"]) first');
	const folder = mkdtempSync(path.join(tmpdir(), 'letpay-postgres-'));
	const dataDir = path.join(folder, 'data');
	const socketDir = path.join(folder, 'socket');
	const admin = 'letpay_admin';
	const password = randomBytes(18).toString('hex');
	let initdbMs = 0;
	let options: SpawnOptions = { cwd: folder, env: { ...process.env, LC_ALL: 'C.UTF-8' } };
	try {
		mkdirSync(socketDir);
		if (process.getuid?.() === 0) {
			const account = postgresAccount();
			for (const owned of [folder, socketDir]) chownSync(owned, account.uid, account.gid);
			options = { ...options, uid: account.uid, gid: account.gid };
		}
		const initdbStarted = Date.now();
		// Local (unix socket) connections are trusted: only this folder's owner can reach the socket.
		const initdb = await runCommand(
			path.join(bin, 'initdb'),
			['-D', dataDir, '-U', admin, '-E', 'UTF8', '--locale=C.UTF-8', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync'],
			options,
		);
		if (initdb.code !== 0) throw new Error(`initdb exited with ${initdb.code}\n${initdb.stdout.slice(-2000)}\n${initdb.stderr.slice(-2000)}`);
		initdbMs = Date.now() - initdbStarted;
	} catch (error) {
		rmSync(folder, { recursive: true, force: true });
		throw error;
	}
	const port = await freePort();
	const startStarted = Date.now();
	const daemon = await startDaemon({
		name: `PostgreSQL on port ${port}`,
		command: path.join(bin, 'postgres'),
		args: ['-D', dataDir, '-p', String(port), '-k', socketDir, '-h', '127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
		options,
		ready: 'database system is ready to accept connections',
		stopSignal: 'SIGINT', // "fast" shutdown; SIGTERM would wait for n8n's pooled connections to close
		folder,
	});
	const startMs = Date.now() - startStarted;
	try {
		await mustRun(path.join(bin, 'psql'), [
			'-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', admin, '-d', 'postgres',
			'-c', `CREATE ROLE "${user}" LOGIN PASSWORD '${password}'`,
			'-c', `CREATE DATABASE "${database}" OWNER "${user}"`,
		]);
	} catch (error) {
		await daemon.stop();
		throw error;
	}
	return { host: '127.0.0.1', port, database, user, password, timings: { initdbMs, startMs }, log: daemon.log, stop: daemon.stop };
}

export interface RedisServer {
	host: string;
	port: number;
	log: () => string;
	stop: () => Promise<void>;
}

/** A Redis without persistence in a temporary folder, on a free loopback port. */
export async function startRedis(): Promise<RedisServer> {
	const binary = onPath('redis-server');
	if (!binary) throw new Error('redis-server not found: ensureDebianPackages(["redis-server"]) first');
	const folder = mkdtempSync(path.join(tmpdir(), 'letpay-redis-'));
	const port = await freePort();
	const daemon = await startDaemon({
		name: `Redis on port ${port}`,
		command: binary,
		args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', folder, '--daemonize', 'no', '--logfile', ''],
		options: { cwd: folder },
		ready: 'Ready to accept connections',
		stopSignal: 'SIGTERM',
		folder,
	});
	return { host: '127.0.0.1', port, log: daemon.log, stop: daemon.stop };
}
