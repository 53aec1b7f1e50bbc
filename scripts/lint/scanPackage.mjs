#!/usr/bin/env node
/*
 * Runs the analysis of n8n's package scanner (@n8n/scan-community-package, pinned in
 * devDependencies) on this repository, before anything is published.
 *
 * `npx @n8n/scan-community-package <name>` only scans packages already on npm (with provenance).
 * Its analysis is two ESLint runs of the scanner's own flat config, `allowInlineConfig: false`
 * (so `eslint-disable` comments do not count):
 *   1. source leg: the attested source checkout, files `SOURCE_FILE_PATTERNS`
 *      (package.json, nodes/ and credentials/ .js/.ts/.json);
 *   2. tarball leg: the packed package, files `**\/*.js` and `package.json`.
 * This script calls the scanner's exported `analyzePackage` and `SOURCE_FILE_PATTERNS` (so its
 * config comes from `buildScanConfig`, with the rule plugins the scanner itself depends on),
 * on (1) this working tree and (2) the tarball `npm pack` makes from a fresh `npm run build`.
 * The tarball leg's file patterns are not exported: they are copied below, and checked against
 * the scanner's source so that an upgrade that changes them fails here instead of drifting.
 *
 * Usage: node scripts/lint/scanPackage.mjs [--source-only | --tarball-only]
 * Exit code 1 when either leg finds an error.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCANNER_MODULE = '@n8n/scan-community-package/scanner/scanner.mjs';
const scannerPath = fileURLToPath(import.meta.resolve(SCANNER_MODULE));
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(SCANNER_MODULE);

// Importing the scanner creates a temporary folder (for downloads we never make) that the `tmp`
// package only removes at exit when asked to.
createRequire(scannerPath)('tmp').setGracefulCleanup();

/** What the scanner passes to `analyzePackage` for the extracted tarball (scanner.mjs). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];
const TARBALL_CALL = `analyzePackage(packageDir, ${JSON.stringify(TARBALL_FILE_PATTERNS).replaceAll('"', "'").replaceAll(',', ', ')})`;

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const scannerVersion = JSON.parse(
	fs.readFileSync(path.resolve(path.dirname(scannerPath), '..', 'package.json'), 'utf8'),
).version;

function run(command, args, cwd) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
	}
	return result.stdout;
}

function report(label, result) {
	if (result.passed) {
		console.log(`✅ scanner analysis (${label}): passed${result.message ? ` (${result.message})` : ''}`);
		return true;
	}
	console.log(`❌ scanner analysis (${label}): ${result.message}`);
	if (result.details) console.log(result.details);
	return false;
}

async function scanSource() {
	return report(`source: ${SOURCE_FILE_PATTERNS.join(', ')}`, await analyzePackage(PROJECT_ROOT, SOURCE_FILE_PATTERNS));
}

async function scanTarball() {
	if (!fs.readFileSync(scannerPath, 'utf8').includes(TARBALL_CALL)) {
		throw new Error(
			`@n8n/scan-community-package ${scannerVersion} no longer calls \`${TARBALL_CALL}\` for the tarball: update TARBALL_FILE_PATTERNS in ${path.relative(PROJECT_ROOT, fileURLToPath(import.meta.url))}`,
		);
	}
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'letpay-scan-'));
	try {
		// Same steps as publishing: build, then pack what `files` selects.
		run('npm', ['run', 'build'], PROJECT_ROOT);
		const packOutput = run('npm', ['pack', '--json', '--pack-destination', workDir], PROJECT_ROOT);
		const [{ filename }] = JSON.parse(packOutput.slice(packOutput.indexOf('[')));
		const packageDir = path.join(workDir, 'package');
		fs.mkdirSync(packageDir);
		// As the scanner extracts it.
		run('tar', ['-xzf', path.join(workDir, filename), '-C', packageDir, '--strip-components=1'], workDir);
		return report(`tarball ${filename}: ${TARBALL_FILE_PATTERNS.join(', ')}`, await analyzePackage(packageDir, TARBALL_FILE_PATTERNS));
	} finally {
		fs.rmSync(workDir, { recursive: true, force: true });
	}
}

const only = process.argv[2];
if (only !== undefined && only !== '--source-only' && only !== '--tarball-only') {
	console.error('Usage: node scripts/lint/scanPackage.mjs [--source-only | --tarball-only]');
	process.exit(2);
}
console.log(`@n8n/scan-community-package ${scannerVersion} analysis, inline eslint comments ignored`);
const sourcePassed = only === '--tarball-only' ? true : await scanSource();
const tarballPassed = only === '--source-only' ? true : await scanTarball();
process.exitCode = sourcePassed && tarballPassed ? 0 : 1;
