import path from 'node:path';

/*
 * `npm test`, `npm run demo` and every other npm script export the project's npm settings to
 * their children: `.npmrc`'s `ignore-scripts=true` becomes `npm_config_ignore_scripts=true`,
 * and a child `npm install node@24` then silently skips the postinstall that puts `bin/node` in
 * place. Installers must not depend on who calls them, so child npm calls start from this
 * environment and say what they need with explicit flags.
 */

/**
 * Settings that only say where and how to reach the registry; they never change what gets
 * installed, and a user may need them (a proxy, a mirror, a company CA) to reach npm at all.
 */
const NETWORK_SETTINGS = new Set([
	'registry',
	'cafile',
	'ca',
	'proxy',
	'https_proxy',
	'noproxy',
	'strict_ssl',
	'cache',
	'userconfig',
	'globalconfig',
]);

/** Variables npm's script runner sets for the script itself, not for the programs it starts. */
const NPM_RUN_PREFIXES = ['npm_config_', 'npm_package_', 'npm_lifecycle_'];
const NPM_RUN_VARIABLES = new Set(['npm_command', 'npm_execpath', 'npm_node_execpath', 'INIT_CWD', 'NODE', 'COLOR', 'EDITOR']);

function isNetworkSetting(name: string): boolean {
	const setting = name.slice('npm_config_'.length).toLowerCase().replace(/-/g, '_');
	return name.toLowerCase().startsWith('npm_config_') && NETWORK_SETTINGS.has(setting);
}

function inheritedFromNpmRun(name: string): boolean {
	if (NPM_RUN_VARIABLES.has(name)) return true;
	return NPM_RUN_PREFIXES.some((prefix) => name.toLowerCase().startsWith(prefix));
}

/**
 * The caller's environment without what an npm script run put there: npm_config_* (except
 * network settings), npm_package_*, npm_lifecycle_*, and the project's node_modules/.bin
 * folders that npm prepends to PATH (a child would otherwise run this project's tools).
 */
export function installerEnvironment(parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(parent)) {
		if (value === undefined) continue;
		if (inheritedFromNpmRun(name) && !isNetworkSetting(name)) continue;
		env[name] = value;
	}
	const pathVariable = Object.keys(env).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH';
	env[pathVariable] = (env[pathVariable] ?? '')
		.split(path.delimiter)
		.filter((entry) => entry && !entry.split(/[\\/]/).join('/').endsWith('node_modules/.bin'))
		.join(path.delimiter);
	return env;
}
