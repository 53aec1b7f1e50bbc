/*
 * Lints planted texts outside jest, the way `npm run lint` would see them (lintConfig.test.ts).
 * Jest cannot load the project's ESM eslint.config.mjs in-process, and in-process test runners can
 * give the n8n-nodes-base rules another parser instance than theirs, which silently disables
 * them (noted in @n8n/scan-community-package's own tests).
 *
 *   node test/lint/lintInChild.mjs project   stdin: [{ file, text }], file relative to the repo;
 *                                            lints each text as that file with eslint.config.mjs
 *                                            stdout: JSON, the rule ids reported, per plant
 *   node test/lint/lintInChild.mjs scanner   stdin: { files: { [relativePath]: text } }; writes
 *                                            them to a temporary package and runs the scanner's
 *                                            source analysis (its analyzePackage) on it
 *                                            stdout: JSON { passed, details }
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ESLint } from 'eslint';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));

async function lintWithProjectConfig(plants) {
	const eslint = new ESLint({ cwd: PROJECT_ROOT });
	const ruleIds = [];
	for (const { file, text } of plants) {
		const [result] = await eslint.lintText(text, { filePath: path.join(PROJECT_ROOT, file) });
		ruleIds.push(result.messages.map((message) => message.ruleId ?? `fatal: ${message.message}`));
	}
	return ruleIds;
}

async function lintWithScanner({ files }) {
	const scannerModule = '@n8n/scan-community-package/scanner/scanner.mjs';
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(scannerModule);
	createRequire(fileURLToPath(import.meta.resolve(scannerModule)))('tmp').setGracefulCleanup();
	const packageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'letpay-scan-plant-'));
	try {
		for (const [file, text] of Object.entries(files)) {
			fs.mkdirSync(path.dirname(path.join(packageDir, file)), { recursive: true });
			fs.writeFileSync(path.join(packageDir, file), text);
		}
		const { passed, details } = await analyzePackage(packageDir, SOURCE_FILE_PATTERNS);
		return { passed, details };
	} finally {
		fs.rmSync(packageDir, { recursive: true, force: true });
	}
}

const mode = process.argv[2];
if (mode !== 'project' && mode !== 'scanner') throw new Error(`unknown mode ${mode}`);
const output = mode === 'project' ? await lintWithProjectConfig(input) : await lintWithScanner(input);
process.stdout.write(JSON.stringify(output));
