import { readFileSync } from 'node:fs';
import path from 'node:path';

/*
 * The money model judges the node from outside: it loads the package's two entry points as n8n
 * does (model/processes.ts) and reaches them only through n8n-core's engine and the emulator.
 * No module it imports, however indirectly, may come from nodes/ or credentials/ — a model that
 * called the node's internals could agree with them by construction.
 */
const REPOSITORY = path.resolve(__dirname, '..', '..');
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm;

function importClosure(entry: string): Set<string> {
	const seen = new Set<string>();
	const visit = (file: string) => {
		if (seen.has(file)) return;
		seen.add(file);
		for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
			const target = path.resolve(path.dirname(file), specifier);
			const candidates = [`${target}.ts`, path.join(target, 'index.ts')];
			const found = candidates.find((candidate) => {
				try {
					return readFileSync(candidate) !== undefined;
				} catch {
					return false;
				}
			});
			if (found) visit(found);
		}
	};
	visit(entry);
	return seen;
}

test('the money model imports nothing from the package: it reaches the node through n8n-core and the emulator only', () => {
	const closure = [...importClosure(path.join(__dirname, 'money.model.ts'))].map((file) => path.relative(REPOSITORY, file));
	expect(closure).toContain('test/reliability/model/invariants.ts');
	expect(closure).toContain('test/letpayEmulator/index.ts');
	expect(closure.filter((file) => file.startsWith('nodes/') || file.startsWith('credentials/'))).toEqual([]);
});
