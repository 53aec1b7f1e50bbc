import { readFileSync } from 'node:fs';

import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/*
 * The shape of the shipped code, checked with dependency-cruiser (rules in .dependency-cruiser.cjs:
 * no folder imports a folder that imports it back; the credential uses the sign-in module alone)
 * and one count of its own: the files a reader opens to follow one Capture item, i.e. the import
 * closure of the capture operation, type-only imports included.
 */
const CAPTURE = 'nodes/Letpay/actions/payment/capture.operation.ts';
const MAX_CAPTURE_FILES = 15;

const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const tsConfig = extractTSConfig('tsconfig.json');
const { output } = await cruise(['nodes', 'credentials'], { ...options, validate: true }, {}, { tsConfig });

// Project files only: n8n-workflow, luxon and Node's own modules are not this project's to read.
const ownFile = (file) => /^(nodes|credentials)\//.test(file);
const imports = new Map(output.modules.filter((module) => ownFile(module.source)).map((module) => [module.source, module.dependencies.map((dependency) => dependency.resolved)]));
const closure = new Set();
const visit = (file) => {
	if (closure.has(file) || !imports.has(file)) return;
	closure.add(file);
	for (const next of imports.get(file)) visit(next);
};
visit(CAPTURE);
const lines = [...closure].reduce((sum, file) => sum + readFileSync(file, 'utf8').split('\n').length - 1, 0);

// A cycle is named from its first folder round to it again; any other breach as from → to.
const route = (violation) => (violation.cycle ? [violation.from, ...violation.cycle.map((step) => step.name ?? step)] : [violation.from, violation.to]);
const problems = output.summary.violations.map((violation) => `${violation.rule.name}: ${route(violation).join(' → ')}`);
if (closure.size > MAX_CAPTURE_FILES) problems.push(`${CAPTURE} reaches ${closure.size} files (at most ${MAX_CAPTURE_FILES}): ${[...closure].join(', ')}`);

if (process.argv.includes('--verbose') || problems.length > 0) {
	console.log(`One Capture item's code: ${closure.size} files, ${lines} lines (${CAPTURE} and every file it imports, type imports included).`);
	if (process.argv.includes('--verbose')) for (const file of [...closure].sort()) console.log(`  ${file}`);
}
for (const problem of problems) console.error(`code shape: ${problem}`);
process.exitCode = problems.length > 0 ? 1 : 0;
