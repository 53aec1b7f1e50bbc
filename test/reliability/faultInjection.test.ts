import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { useTestbed } from '../helpers/testbed';
import { FAULT_MIX, planRun } from './faultPlan';
import { checkRun, type RunFindings } from './invariants';

/*
 * Runs of 1,000+ items through n8n's real engine against the emulator, with a seeded mix of
 * faults and one access-token expiry in the middle of each run. Whatever happens on the wire,
 * every input item must end as exactly one output item, in order, and the ledger must agree
 * with the output: nothing captured twice, no capture the output hides.
 */
const RUNS = [
	{ seed: 11, size: 1000, refreshTokenMode: 'same', repeatCaptures: 'refuse' },
	{ seed: 23, size: 1000, refreshTokenMode: 'rotate', repeatCaptures: 'allow' },
	{ seed: 37, size: 1500, refreshTokenMode: 'same', repeatCaptures: 'allow' },
] as const;
const REPORTS = path.resolve(__dirname, '..', '..', '.reports');
const totals: RunFindings & { leaks: number } = {
	items: 0,
	lostItems: 0,
	doubleCaptures: 0,
	unreportedCaptures: 0,
	phantomSuccesses: 0,
	outOfOrder: 0,
	leaks: 0,
};

describe('fault injection: nothing lost, nothing captured twice', () => {
	let expireAfterRequests = Infinity;
	const start = Date.parse('2026-11-24T06:00:00Z');
	const testbed = useTestbed({
		now: () => start + (testbed.emulator.requests.length >= expireAfterRequests ? 3_600_000 : 0),
	});

	test.each(RUNS)('seed $seed: $size items, refresh_token $refreshTokenMode, repeated captures: $repeatCaptures', async ({ seed, size, refreshTokenMode, repeatCaptures }) => {
		testbed.emulator.configure({ refreshTokenMode, repeatCaptures });
		const plan = planRun(testbed.emulator, size, seed);
		expireAfterRequests = Math.floor(size / 2);

		const { success, failed, error } = await testbed.run({
			orders: plan.orders,
			onError: 'continueErrorOutput',
			parameters: { options: { timeout: 250, maxRetries: 2 } },
		});

		const findings = checkRun(plan.orders, success, failed, testbed.emulator.allCaptures());
		for (const key of Object.keys(findings) as Array<keyof RunFindings>) totals[key] += findings[key];
		expect(error).toBeUndefined();
		expect(findings).toEqual({ items: size, lostItems: 0, doubleCaptures: 0, unreportedCaptures: 0, phantomSuccesses: 0, outOfOrder: 0 });
		expect(success.length + failed.length).toBe(size);
		// The expiry happened: a 401 in the middle, then one re-authentication.
		expect(testbed.emulator.requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
		expect(new Set(plan.faultsByToken.values()).size).toBe(FAULT_MIX.length);
	});

	afterAll(() => {
		const line =
			`reliability: ${totals.items.toLocaleString('en')} items, ${FAULT_MIX.length + 1} fault kinds (a token expiry mid-run included), ` +
			`${totals.doubleCaptures} double captures, ${totals.lostItems} lost items, ${totals.unreportedCaptures} hidden captures, ${totals.leaks} leaks`;
		process.stdout.write(`\n${line}\n`);
		// The end-to-end runner repeats this line last, so the test command ends with it.
		mkdirSync(REPORTS, { recursive: true });
		writeFileSync(path.join(REPORTS, 'reliability.txt'), line);
	});
});
