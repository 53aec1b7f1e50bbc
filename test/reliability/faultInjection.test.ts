import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { CaptureRun } from '../helpers/runWorkflow';
import { useTestbed } from '../helpers/testbed';
import type { EmulatorOptions } from '../letpayEmulator';
import { faultMix, planRun, REPEATS, TIMEOUT_MS, type FaultKind, type ItemOutcome } from './faultPlan';
import { checkRun, cleanFindings, type RunFindings } from './invariants';

/*
 * Executions of 1,000+ items through n8n's real engine against the emulator, with a seeded mix of
 * faults (redirects, 200 answers that refuse or do not confirm the capture, trickled bodies among
 * them), orders that name an earlier order's payment in another spelling, one execution where the
 * node runs twice (as with Loop Over Items), and one access-token expiry in the middle of each
 * execution.
 * Whatever happens on the wire, every input item must end as exactly one output item, in order,
 * with an outcome its fault allows, and the ledger must agree with the output: nothing captured
 * twice, no capture the output hides.
 */
type Modes = Required<Pick<EmulatorOptions, 'refreshTokenMode' | 'repeatCaptures' | 'accessTokens' | 'paymentTokenMatching'>>;
/** `verification`: the window in which the node looks a payment up after an uncertain answer (0: off). */
const RUNS: Array<{ seed: number; batches: number[]; verification?: number } & Modes> = [
	{ seed: 11, batches: [1000], refreshTokenMode: 'same', repeatCaptures: 'refuse', accessTokens: 'all-live', paymentTokenMatching: 'exact' },
	// Where Letpay would take a repeated capture of one payment however its token is spelled, a
	// repeat or a resend that got through shows in the ledger as a second capture.
	{ seed: 23, batches: [1000], refreshTokenMode: 'rotate', repeatCaptures: 'allow', accessTokens: 'all-live', paymentTokenMatching: 'case-insensitive' },
	// Each sign-in revokes the tokens before it: a needless second sign-in would fail captures.
	{ seed: 37, batches: [1500], refreshTokenMode: 'same', repeatCaptures: 'allow', accessTokens: 'newest-only', paymentTokenMatching: 'case-insensitive' },
	// As with Loop Over Items, the node runs twice in one execution; the second batch repeats payments of the first.
	{ seed: 41, batches: [700, 700], refreshTokenMode: 'rotate', repeatCaptures: 'allow', accessTokens: 'all-live', paymentTokenMatching: 'case-insensitive' },
	// The node's default: uncertain answers are verified by look-ups (a short window keeps the
	// suite fast); a verified item may end captured or not captured, and the ledger must agree.
	{ seed: 53, batches: [1000], verification: 400, refreshTokenMode: 'same', repeatCaptures: 'allow', accessTokens: 'all-live', paymentTokenMatching: 'exact' },
];
/** Verification can settle what an uncertain answer left open, either way. */
const VERIFIABLE: ItemOutcome[] = ['unknown', 'success', 'not_captured'];
const CONCURRENCY = 5;
const REPORTS = path.resolve(__dirname, '..', '..', '.reports');
const SAME_PATH = '/moved/capture';

const totals: RunFindings & { executions: number; verified: number } = { executions: 0, verified: 0, ...cleanFindings(0) };

/** What left each run of the Letpay node, run by run. */
function nodeRuns({ run }: CaptureRun) {
	return (run.data.resultData.runData.Letpay ?? []).map((nodeRun) => ({
		success: nodeRun.data?.main?.[0] ?? [],
		failed: nodeRun.data?.main?.[1] ?? [],
	}));
}

describe('fault injection: nothing lost, nothing captured twice', () => {
	let expireAfterRequests = Infinity;
	const start = Date.parse('2026-11-24T06:00:00Z');
	const testbed = useTestbed({
		now: () => start + (testbed.emulator.requests.length >= expireAfterRequests ? 3_600_000 : 0),
	});

	// Redirect targets: another origin that records whatever reaches it, and a port nothing listens on.
	const trapHits: string[] = [];
	const trap = createServer((request, response) => {
		trapHits.push(`${request.method} ${request.url}`);
		response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"transaction_status":"PROCESSING"}');
	});
	let mix: FaultKind[] = [];
	beforeAll(async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const closedPort = (closed.address() as AddressInfo).port;
		await new Promise((resolve) => closed.close(resolve));
		await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
		const trapPort = (trap.address() as AddressInfo).port;
		mix = faultMix({
			samePath: SAME_PATH,
			otherOrigin: `http://127.0.0.1:${trapPort}/token/moved/capture`,
			closedPort: `http://127.0.0.1:${closedPort}/token/moved/capture`,
		});
	});
	afterAll(async () => {
		trap.closeAllConnections();
		await new Promise((resolve) => trap.close(resolve));
	});

	test.each(RUNS)(
		'seed $seed: $batches items, refresh_token $refreshTokenMode, repeated captures $repeatCaptures, tokens $accessTokens, payment tokens $paymentTokenMatching',
		async ({ seed, batches: sizes, verification = 0, ...modes }) => {
			testbed.emulator.configure(modes);
			const planned = planRun(testbed.emulator, sizes, seed, mix);
			if (verification > 0) {
				for (const batch of planned) batch.outcomes = batch.outcomes.map((allowed) => (allowed.includes('unknown') ? VERIFIABLE : allowed));
			}
			const size = sizes.reduce((sum, batch) => sum + batch, 0);
			expireAfterRequests = Math.floor(size / 2);

			const result = await testbed.run({
				orders: planned[0].orders,
				laterBatches: planned.slice(1).map((batch) => batch.orders),
				onError: 'continueErrorOutput',
				parameters: { options: { timeout: TIMEOUT_MS, maxRetries: 2, concurrency: CONCURRENCY } },
				verification,
			});
			const outputs = [...result.success, ...result.failed].map((item) => (item.json.error ?? item.json) as { verified?: unknown });
			const verified = outputs.filter((json) => json.verified !== undefined).length;
			totals.verified += verified;
			if (verification > 0) expect(verified).toBeGreaterThan(0);

			const runs = nodeRuns(result);
			expect(runs).toHaveLength(sizes.length);
			const evidence: string[] = [];
			const findings = checkRun(
				planned.map((batch, index) => ({ ...batch, ...runs[index] })),
				testbed.emulator.allCaptures(),
				evidence,
			);
			for (const key of Object.keys(findings) as Array<keyof RunFindings>) totals[key] += findings[key];
			totals.executions += 1;
			expect(result.error).toBeUndefined();
			expect(evidence).toEqual([]);
			expect(findings).toEqual(cleanFindings(size));

			// Every batch met every kind of fault and, together, every spelling of a repeated
			// payment; a later batch repeats payments of the earlier one.
			for (const batch of planned) expect(new Set(batch.kinds.filter((kind) => kind && !kind.startsWith('repeat'))).size).toBe(mix.length);
			const repeats = planned.flatMap((batch) => batch.kinds).filter((kind) => kind?.startsWith('repeat'));
			for (const how of REPEATS) expect(repeats.some((kind) => kind?.startsWith(`repeat (${how}`))).toBe(true);
			if (sizes.length > 1) expect(planned[1].kinds.some((kind) => kind?.endsWith('of an earlier batch)'))).toBe(true);

			// No redirect was followed: nothing reached the other origin or the path on Letpay.
			const { requests } = testbed.emulator;
			expect(trapHits).toEqual([]);
			expect(requests.filter((request) => request.path === SAME_PATH)).toEqual([]);

			// The expiry happened in the middle, and the captures that met it share ONE new sign-in:
			// one /auth before the first 401, exactly one after it.
			const first401 = requests.findIndex((request) => request.status === 401);
			const signIns = requests.flatMap((request, index) => (request.path === '/auth' ? [index] : []));
			expect(first401).toBeGreaterThanOrEqual(expireAfterRequests);
			expect(signIns.filter((index) => index < first401)).toHaveLength(1);
			expect(signIns.filter((index) => index > first401)).toHaveLength(1);
			expect(testbed.emulator.authCalls).toBe(2);
		},
	);

	afterAll(() => {
		const { leaks, outputItems, logLines } = testbed.leakChecks;
		const line =
			`reliability: ${totals.items.toLocaleString('en')} items in ${totals.executions} executions, ` +
			`${mix.length + 1} fault kinds (a token expiry mid-run included), ` +
			`${totals.verified.toLocaleString('en')} uncertain outcomes verified by look-up, ` +
			`${totals.doubleCaptures} double captures, ${totals.lostItems} lost items, ${totals.unreportedCaptures} hidden captures, ` +
			`${leaks} leaks in ${outputItems.toLocaleString('en')} output items and ${logLines.toLocaleString('en')} log lines checked`;
		process.stdout.write(`\n${line}\n`);
		// The end-to-end runner repeats this line last, so the test command ends with it.
		mkdirSync(REPORTS, { recursive: true });
		writeFileSync(path.join(REPORTS, 'reliability.txt'), line);
	});
});
