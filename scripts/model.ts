import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';

/*
 * npm run test:model [-- --seed S --scenarios N --scenario I [--trace] --parallel P --shrink SECONDS]
 * npm run soak [-- --scenarios N --minutes M --seed S]
 * Runs the money model (test/reliability/money.model.ts) under jest, which gives each "n8n
 * process" its own module instance of the node; the settings travel as environment variables.
 */
const { values } = parseArgs({
	options: {
		soak: { type: 'boolean', default: false },
		seed: { type: 'string' },
		scenarios: { type: 'string' },
		scenario: { type: 'string' },
		minutes: { type: 'string' },
		parallel: { type: 'string' },
		shrink: { type: 'string' },
		verbose: { type: 'boolean', default: false },
		trace: { type: 'boolean', default: false },
	},
});
const soak = values.soak === true;
const seed = values.seed ?? (soak ? String(Date.now() % 1_000_000) : '20261205');
const env = {
	...process.env,
	MODEL_SEED: seed,
	MODEL_SCENARIOS: values.scenarios ?? (soak ? '10000' : '1000'),
	...(values.minutes ?? soak ? { MODEL_MINUTES: values.minutes ?? '60' } : {}),
	...(values.scenario === undefined ? {} : { MODEL_SCENARIO: values.scenario }),
	...(values.parallel === undefined ? {} : { MODEL_PARALLEL: values.parallel }),
	...(values.shrink === undefined ? {} : { MODEL_SHRINK_SECONDS: values.shrink }),
	MODEL_VERBOSE: String(values.verbose),
	MODEL_TRACE: String(values.trace),
};
const root = path.resolve(__dirname, '..');
const jest = path.join(root, 'node_modules', '.bin', 'jest');
// The mutation check runs beside the model, except when one scenario is replayed or for a soak.
const files = soak || values.scenario !== undefined ? ['test/reliability/money.model.ts'] : ['test/reliability/'];
const result = spawnSync(jest, ['--config', path.join(root, 'jest.model.config.js'), ...files], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
