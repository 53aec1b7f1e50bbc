import { CONTENDERS, type Contender, type Medians } from './floorAndCeiling';
import type { SweepRow } from './sweep';

/** Limits the issue set, checked against this run's own figures. */
export const TARGETS = { cpuVsBareHelper: 1.15, realN8nSpeedUp: 7 };

const times = (value: number, base: number) => `${(value / base).toFixed(2)}x`;
const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;

export function floorAndCeilingTable(http: Medians, https: Medians): string {
	const cells = (medians: Medians, contender: Contender) => {
		const sample = medians[contender];
		return {
			vsRaw: times(sample.seconds, medians['raw fetch (keep-alive)'].seconds),
			vsBare: times(sample.seconds, medians['bare n8n helper loop'].seconds),
			cpu: sample.cpuMsPerItem.toFixed(2),
			cpuVsBare: times(sample.cpuMsPerItem, medians['bare n8n helper loop'].cpuMsPerItem),
			connections: sample.connectionsOpened.toLocaleString('en'),
			leftOpen: String(sample.leftOpen),
		};
	};
	return [
		row(['contender', 'time vs raw fetch (HTTP / HTTPS)', 'time vs bare n8n helper (HTTP / HTTPS)', 'CPU ms per item (HTTP / HTTPS)', 'CPU vs bare n8n helper (HTTP / HTTPS)', 'TCP connections opened (HTTP / HTTPS)', 'left open after the run (HTTP / HTTPS)']),
		row(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
		...CONTENDERS.map((contender) => {
			const [a, b] = [cells(http, contender), cells(https, contender)];
			return row([contender, `${a.vsRaw} / ${b.vsRaw}`, `${a.vsBare} / ${b.vsBare}`, `${a.cpu} / ${b.cpu}`, `${a.cpuVsBare} / ${b.cpuVsBare}`, `${a.connections} / ${b.connections}`, `${a.leftOpen} / ${b.leftOpen}`]);
		}),
	].join('\n');
}

export function sweepTable(rows: SweepRow[]): string {
	const same = (contender: string, of: SweepRow) => rows.find((r) => r.contender.startsWith(contender) && r.items === of.items && r.concurrency === of.concurrency);
	const ratio = (value: number, base?: SweepRow) => (base ? times(value, base.seconds) : 'n/a');
	return [
		row(['contender', 'concurrency', 'items', 'seconds', 'items/s', 'time vs raw fetch', 'time vs HTTP Request node', 'peak RSS growth']),
		row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
		...rows.map((r) =>
			row([
				r.contender,
				r.concurrency,
				r.items.toLocaleString('en'),
				r.seconds.toFixed(2),
				Math.round(r.items / r.seconds).toLocaleString('en'),
				ratio(r.seconds, same('raw', r)),
				ratio(r.seconds, same('HTTP', r)),
				r.peakRssGrowthMb === undefined ? '' : `${Math.round(r.peakRssGrowthMb)} MB`,
			]),
		),
	].join('\n');
}

/** Concurrency 1 time divided by concurrency 10 time, for a contender at a size. */
export function speedUp(rows: SweepRow[], contender: string, items: number): number | undefined {
	const at = (concurrency: number) => rows.find((r) => r.contender === contender && r.items === items && r.concurrency === concurrency);
	const [one, ten] = [at(1), at(10)];
	return one && ten ? one.seconds / ten.seconds : undefined;
}

export function verdicts(http: Medians, https: Medians, realRows: SweepRow[], realContender: string, size: number): string[] {
	const cpuRatio = (medians: Medians) => medians['Letpay node'].cpuMsPerItem / medians['bare n8n helper loop'].cpuMsPerItem;
	const up = speedUp(realRows, realContender, size);
	const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
	const pooled = speedUp(realRows, `${realContender}, agents pooled`, size);
	return [
		`- Letpay node CPU per item vs the bare n8n helper: ${cpuRatio(http).toFixed(2)}x over HTTP, ${cpuRatio(https).toFixed(2)}x over HTTPS (target <= ${TARGETS.cpuVsBareHelper}x: ${mark(cpuRatio(http) <= TARGETS.cpuVsBareHelper && cpuRatio(https) <= TARGETS.cpuVsBareHelper)}).`,
		up === undefined
			? `- ${realContender}: no concurrency 1 / 10 pair at ${size.toLocaleString('en')} items in this run.`
			: `- ${realContender}, ${size.toLocaleString('en')} items: concurrency 10 is ${up.toFixed(2)}x faster than concurrency 1 (target >= ${TARGETS.realN8nSpeedUp}x: ${mark(up >= TARGETS.realN8nSpeedUp)}).`,
		...(pooled === undefined ? [] : [`- The same with n8n's agents pooled (patched in that n8n process only): ${pooled.toFixed(2)}x.`]),
	];
}
