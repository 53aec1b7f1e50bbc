import fc from 'fast-check';

import { capturedLogs } from '../../helpers/capturedLogs';
import type { Violation } from './itemReports';
import { checkScenario } from './invariants';
import type { N8nProcess } from './processes';
import { runScenario, type Observation } from './runScenario';
import { scenarioArb, type Scenario } from './scenario';

/*
 * The money model's loop: scenarios drawn from one seed (scenario i is fast-check's run i, so
 * `--seed S --scenario i` replays it alone), run several at a time (the node's own waits would
 * make one-by-one too slow), each checked on its own. The first scenario of each kind of
 * violation is then shrunk by fast-check.
 */

export interface ModelSettings {
	seed: number;
	scenarios: number;
	/** Stop drawing new scenarios after this long (a soak). */
	minutes?: number;
	/** Replay only this scenario of the seed. */
	only?: number;
	parallel: number;
	/** Time to shrink each kind of violation found (0: do not shrink). */
	shrinkSeconds: number;
	/** Print every violation as it is found. */
	verbose?: boolean;
	/** With `only`: print Letpay's request log of that scenario. */
	trace?: boolean;
}

export interface ModelReport {
	scenarios: number;
	executions: number;
	items: number;
	faults: number;
	/** Items that met no fault and were held against the outcome Letpay's rules predict. */
	predicted: number;
	violations: number;
	/** Per kind of violation: how many scenarios showed it, the first of them, and its shrunk form. */
	kinds: Map<string, { scenarios: number; first: number; example: Violation; shrunk?: Scenario }>;
}

interface Counted {
	violations: Violation[];
	predicted: number;
	secrets: string[];
	executions: number;
	items: number;
	faults: number;
	/** Letpay's request log, one line per request (printed when one scenario is replayed with --trace). */
	trace: string[];
}

/** `+ms execution method path status token#n`: which access token each request carried, in Letpay's order. */
function traceOf(observation: Observation): string[] {
	const issued = observation.secrets.slice(2);
	const start = observation.requests[0]?.at ?? 0;
	return observation.requests.map((request) => {
		const token = request.authToken === undefined ? '-' : `token#${issued.indexOf(request.authToken) + 1}`;
		const who = request.process ?? request.execution ?? '';
		return `+${request.at - start}ms ${who} ${request.method} ${request.path} ${request.status} ${token}${request.captured ? ' captured' : ''}`;
	});
}

async function runAndCheck(scenario: Scenario, processes: N8nProcess[]): Promise<Counted> {
	const observation = await runScenario(scenario, processes);
	const { violations, predicted } = checkScenario(scenario, observation);
	const items = scenario.executions.reduce((sum, execution) => sum + execution.items.length, 0);
	const inputFaults = scenario.executions.flatMap((execution) => execution.items).filter((item) => 'odd' in item).length;
	return { violations, predicted, secrets: observation.secrets, executions: scenario.executions.length, items, faults: observation.faultsServed + inputFaults + (observation.tokensExpired ? 1 : 0), trace: traceOf(observation) };
}

/** Scenarios of one seed, lazily: a soak may stop long before the last. */
function* scenariosOf(seed: number, count: number): Generator<[number, Scenario]> {
	const batch = 200;
	for (let start = 0; start < count; start += batch) {
		// fc.sample's i-th value is what fc.check's path "i" replays.
		const drawn = fc.sample(scenarioArb, { seed, numRuns: Math.min(count, start + batch) });
		for (let index = start; index < drawn.length; index++) yield [index, drawn[index]];
	}
}

async function shrink(settings: ModelSettings, index: number, kind: string, processes: N8nProcess[]): Promise<Scenario | undefined> {
	const property = fc.asyncProperty(scenarioArb, async (scenario) => {
		const { violations } = await runAndCheck(scenario, processes);
		return violations.every((violation) => violation.kind !== kind);
	});
	const details = await fc.check(property, { seed: settings.seed, path: String(index), interruptAfterTimeLimit: settings.shrinkSeconds * 1000, markInterruptAsFailure: false });
	return details.counterexample?.[0];
}

export async function runModel(settings: ModelSettings, processes: N8nProcess[], log: (line: string) => void): Promise<ModelReport> {
	const report: ModelReport = { scenarios: 0, executions: 0, items: 0, faults: 0, predicted: 0, violations: 0, kinds: new Map() };
	const secrets = new Set<string>();
	const stopAt = settings.minutes === undefined ? Infinity : Date.now() + settings.minutes * 60_000;
	const queue = settings.only === undefined ? scenariosOf(settings.seed, settings.scenarios) : [...scenariosOf(settings.seed, settings.only + 1)].slice(settings.only).values();
	const worker = async () => {
		for (;;) {
			if (Date.now() > stopAt) return;
			const next = queue.next();
			if (next.done) return;
			const [index, scenario] = next.value;
			const counted = await runAndCheck(scenario, processes);
			if (settings.verbose) for (const violation of counted.violations) log(`  scenario ${index}: ${violation.kind}: ${violation.detail}`);
			// Replaying one scenario: show it whole, with every violation.
			if (settings.only !== undefined) log([JSON.stringify(scenario, null, 1), ...(settings.trace ? counted.trace : []), ...counted.violations.map((violation) => `${violation.kind}: ${violation.detail}`)].join('\n'));
			report.scenarios++;
			report.executions += counted.executions;
			report.items += counted.items;
			report.faults += counted.faults;
			report.predicted += counted.predicted;
			for (const secret of counted.secrets) secrets.add(secret);
			report.violations += counted.violations.length;
			for (const kind of new Set(counted.violations.map((violation) => violation.kind))) {
				const known = report.kinds.get(kind);
				if (known) {
					known.scenarios++;
					if (index < known.first) Object.assign(known, { first: index, example: counted.violations.find((violation) => violation.kind === kind)! });
				} else {
					report.kinds.set(kind, { scenarios: 1, first: index, example: counted.violations.find((violation) => violation.kind === kind)! });
				}
			}
			if (report.scenarios % 100 === 0) log(`  ${report.scenarios} scenarios, ${report.violations} violations`);
		}
	};
	const logStart = capturedLogs.length;
	await Promise.all(Array.from({ length: settings.parallel }, worker));
	// Scenarios run side by side, and n8n may log after a scenario's check: all logs against all secrets.
	const leaked = leakedIntoLogs(capturedLogs.slice(logStart), secrets);
	if (leaked > 0) {
		report.violations += leaked;
		// Found by a scenario's own check already, its example stays; else the run as a whole is the example.
		if (!report.kinds.has('secret leaked')) report.kinds.set('secret leaked', { scenarios: 0, first: -1, example: { kind: 'secret leaked', detail: `${leaked} secrets in n8n's log lines of the whole run` } });
	}
	if (settings.shrinkSeconds > 0) {
		for (const [kind, found] of report.kinds) found.shrunk = await shrink(settings, found.first, kind, processes);
	}
	return report;
}

/** Access tokens are UUIDs; the model's keys and secrets are `model-key-…` and `model-secret-…`. */
const SECRET_SHAPED = /model-(?:key|secret)-[0-9a-f-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function leakedIntoLogs(lines: string[], secrets: Set<string>): number {
	return lines.reduce((count, line) => count + [...line.matchAll(SECRET_SHAPED)].filter(([text]) => secrets.has(text)).length, 0);
}

export function describeReport(report: ModelReport, settings: ModelSettings): string[] {
	const line = `model: ${report.scenarios.toLocaleString('en')} scenarios, ${report.executions.toLocaleString('en')} executions, ${report.items.toLocaleString('en')} items, ${report.faults.toLocaleString('en')} faults, ${report.violations} violations (seed ${settings.seed})`;
	const kinds = [...report.kinds].flatMap(([kind, found]) => [
		`  ${kind}: ${found.scenarios} scenario(s), first at scenario ${found.first}: ${found.example.detail}`,
		`    replay: npm run test:model -- --seed ${settings.seed} --scenario ${found.first}`,
		...(found.shrunk ? [`    shrunk: ${JSON.stringify(found.shrunk)}`] : []),
	]);
	const predicted = `  ${report.predicted.toLocaleString('en')} items met no fault and were held against the outcome Letpay's rules predict`;
	return [...kinds, predicted, line];
}
