import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { mustRun, progress } from './processes';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Builds the package and packs it as npm would publish it; returns the tarball's path. */
export async function buildAndPack(): Promise<string> {
	progress('building and packing n8n-nodes-letpay...');
	await mustRun('npm', ['run', 'build'], { cwd: PROJECT_ROOT });
	const destination = mkdtempSync(path.join(tmpdir(), 'letpay-pack-'));
	const output = await mustRun('npm', ['pack', '--json', '--pack-destination', destination], { cwd: PROJECT_ROOT });
	const [{ filename }] = JSON.parse(output.slice(output.indexOf('['))) as Array<{ filename: string }>;
	return path.join(destination, filename);
}
