import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { describeReport, runModel, type ModelSettings } from './model/model';
import { loadProcess, REPOSITORY } from './model/processes';

/*
 * The money model: random concurrent scenarios through n8n-core's engine against the emulator,
 * each item's report held against Letpay's ledger and request log (see model/invariants.ts).
 * Settings come from scripts/model.ts (npm run test:model, npm run soak).
 */
const number = (name: string, fallback: number) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
const settings: ModelSettings = {
	seed: number('MODEL_SEED', 20261205),
	scenarios: number('MODEL_SCENARIOS', 1000),
	minutes: process.env.MODEL_MINUTES === undefined ? undefined : Number(process.env.MODEL_MINUTES),
	only: process.env.MODEL_SCENARIO === undefined ? undefined : Number(process.env.MODEL_SCENARIO),
	parallel: number('MODEL_PARALLEL', 8),
	shrinkSeconds: number('MODEL_SHRINK_SECONDS', 60),
	verbose: process.env.MODEL_VERBOSE === 'true',
	trace: process.env.MODEL_TRACE === 'true',
};

test(`money model, seed ${settings.seed}: a payment's money moves at most once, and every item tells the truth`, async () => {
	// Two "n8n processes" (queue-mode workers): two module instances of the node and credential.
	const processes = [loadProcess(), loadProcess()];
	const report = await runModel(settings, processes, (line) => process.stdout.write(`${line}\n`));
	const lines = describeReport(report, settings);
	process.stdout.write(`\n${lines.join('\n')}\n`);
	mkdirSync(path.join(REPOSITORY, '.reports'), { recursive: true });
	writeFileSync(path.join(REPOSITORY, '.reports', 'model.txt'), `${lines.join('\n')}\n`);
	expect(report.scenarios).toBeGreaterThan(0);
	// Not vacuous: a node that answered "unknown" for everything must fail on these.
	expect(report.predicted).toBeGreaterThan(report.items / 20);
	expect([...report.kinds.keys()]).toEqual([]);
});
