import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { installerEnvironment } from './childEnvironment';
import { progress, runCommand, withHeartbeat } from './processes';

/**
 * The browser of the end-to-end suite: Debian's `chromium` (never one a test tool downloads; this
 * machine's network refuses those downloads), driven by puppeteer-core.
 */
export const CHROMIUM = process.env.LETPAY_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags that let Chromium start here: as root (no sandbox), without a GPU, and without its own
 * calls to Google's hosts, which the closed network refuses (many at a time otherwise).
 */
export function chromiumArgs(): string[] {
	const profile = mkdtempSync(path.join(tmpdir(), 'letpay-chromium-profile-'));
	return [
		'--headless',
		'--no-sandbox',
		'--disable-gpu',
		'--disable-quic',
		'--no-first-run',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		`--user-data-dir=${profile}`,
	];
}

async function aptGet(args: string[]) {
	const env = { ...installerEnvironment(), DEBIAN_FRONTEND: 'noninteractive' };
	return await withHeartbeat(`apt-get ${args.join(' ')}`, () => runCommand('apt-get', args, { env }));
}

/** /usr/bin/chromium, installed with apt-get when it is missing (`apt-get update` only if needed). */
export async function ensureChromium(): Promise<string> {
	if (existsSync(CHROMIUM)) return CHROMIUM;
	progress(`${CHROMIUM} not found: installing Debian's chromium (apt-get install -y chromium, a few minutes)`);
	let result = await aptGet(['install', '-y', 'chromium']);
	if (result.code !== 0) {
		progress(`apt-get install failed (exit ${result.code}): running apt-get update, then installing again`);
		const update = await aptGet(['update']);
		if (update.code !== 0) throw new Error(`apt-get update exited with ${update.code}\n${update.stderr.slice(-2000)}`);
		result = await aptGet(['install', '-y', 'chromium']);
	}
	if (result.code !== 0 || !existsSync(CHROMIUM)) {
		throw new Error(`apt-get install -y chromium exited with ${result.code}; ${CHROMIUM} ${existsSync(CHROMIUM) ? 'exists' : 'is still missing'}\n${result.stderr.slice(-2000)}`);
	}
	progress(`chromium installed: ${CHROMIUM}`);
	return CHROMIUM;
}
