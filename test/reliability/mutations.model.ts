import { runModel, type ModelSettings } from './model/model';
import { MUTANTS, writeMutant } from './model/mutants';
import { loadProcess } from './model/processes';

/*
 * The model can find things: each deliberate fault in a copy of the node is found under a fixed
 * seed, by its own kind of violation, which the node as it is does not show under that seed.
 */
const settings: ModelSettings = { seed: 17, scenarios: 200, parallel: 8, shrinkSeconds: 0 };
const quiet = () => undefined;

describe('mutation check: the money model finds deliberate faults', () => {
	let shownByTheNode: string[] = [];

	beforeAll(async () => {
		const report = await runModel(settings, [loadProcess(), loadProcess()], quiet);
		shownByTheNode = [...report.kinds.keys()];
	});

	test.each(MUTANTS)('$name: found as "$finds"', async (mutant) => {
		const root = writeMutant(mutant);
		const report = await runModel(settings, [loadProcess(root), loadProcess(root)], quiet);
		expect(shownByTheNode).not.toContain(mutant.finds);
		expect([...report.kinds.keys()]).toContain(mutant.finds);
		process.stdout.write(`mutant "${mutant.name}": ${report.kinds.get(mutant.finds)?.scenarios} of ${report.scenarios} scenarios (seed ${settings.seed}) show "${mutant.finds}"\n`);
	});
});
