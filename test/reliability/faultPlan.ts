import type { Fault, LetpayEmulator } from '../letpayEmulator';

/** A small deterministic PRNG (mulberry32): the same seed gives the same mix of faults. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** What an item ended as: captured, or the `outcome` of its error item. */
export type ItemOutcome = 'success' | 'not_captured' | 'unknown' | 'already_captured_or_expired' | 'handled_by_earlier_item';

/**
 * Whatever the fault, an item may succeed (only with its capture in the ledger, checked apart),
 * fail cleanly, or end unknown. Nothing in a plan was captured before its run, so Letpay saying
 * "already captured" can only mean the node sent a capture twice.
 */
export const ANY_OUTCOME: ItemOutcome[] = ['success', 'not_captured', 'unknown'];

export interface FaultKind {
	name: string;
	/** Share of the items; every kind also meets at least one item of every batch. */
	share: number;
	fault: Fault;
	times?: number;
	/** The outcomes an item that meets this fault may end with, when narrower than ANY_OUTCOME. */
	outcomes?: ItemOutcome[];
}

/** Where redirects point. None of them may be followed. */
export interface RedirectTargets {
	/** A path on the emulator itself (a request there would be logged as a 404). */
	samePath: string;
	/** A URL on another origin that listens and counts what reaches it. */
	otherOrigin: string;
	/** A URL on a 127.0.0.1 port nothing listens on. */
	closedPort: string;
}

/** The timeout every fault run uses; the trickles are sized against it. */
export const TIMEOUT_MS = 250;

/** Each kind with its share of the items; the rest of the items meet no fault. */
export function faultMix(targets: RedirectTargets): FaultKind[] {
	const redirect = (status: 301 | 302 | 303 | 307 | 308, captured: boolean, where: keyof RedirectTargets): FaultKind => ({
		name: `${status} to ${where === 'samePath' ? 'a path of Letpay' : where === 'otherOrigin' ? 'another origin' : 'a closed port'}${captured ? ' after capturing' : ''}`,
		share: 0.002,
		fault: { kind: 'redirect', status, location: targets[where], captured },
		// A redirect is never followed, so the node cannot know whether the capture happened.
		outcomes: ['unknown'],
	});
	return [
		{ name: 'latency', share: 0.05, fault: { kind: 'latency', ms: 5 } },
		{ name: 'hang past the timeout', share: 0.004, fault: { kind: 'hang' }, outcomes: ['unknown'] },
		{ name: 'hang past the timeout after capturing', share: 0.004, fault: { kind: 'hang', captured: true }, outcomes: ['unknown'] },
		{ name: 'reset before the request is read', share: 0.01, fault: { kind: 'reset-before-read' } },
		{ name: 'reset after capturing', share: 0.01, fault: { kind: 'reset-after-capture' } },
		{ name: '502', share: 0.02, fault: { kind: 'bad-gateway' } },
		{ name: '502 after capturing', share: 0.01, fault: { kind: 'bad-gateway', captured: true } },
		{ name: 'HTML error page', share: 0.01, fault: { kind: 'html', status: 503 } },
		{ name: 'empty body', share: 0.01, fault: { kind: 'empty', status: 500, captured: true } },
		{ name: 'invalid JSON', share: 0.01, fault: { kind: 'invalid-json', status: 502 } },
		{ name: '429 with Retry-After (recovers)', share: 0.02, fault: { kind: 'rate-limit', retryAfterSeconds: 0 }, times: 2 },
		{ name: '429 with Retry-After (gives up)', share: 0.005, fault: { kind: 'rate-limit', retryAfterSeconds: 0 }, times: 5 },
		redirect(301, false, 'closedPort'),
		redirect(301, true, 'otherOrigin'),
		redirect(302, false, 'otherOrigin'),
		redirect(302, true, 'samePath'),
		redirect(303, false, 'samePath'),
		redirect(303, true, 'closedPort'),
		redirect(307, false, 'otherOrigin'),
		redirect(307, true, 'closedPort'),
		redirect(308, false, 'samePath'),
		redirect(308, true, 'otherOrigin'),
		{
			name: '200 DECLINED',
			share: 0.01,
			fault: { kind: 'answer', status: 200, body: { transaction_status: 'DECLINED' } },
			outcomes: ['not_captured'],
		},
		{
			name: '200 with an unknown transaction_status after capturing',
			share: 0.01,
			fault: { kind: 'answer', status: 200, body: { transaction_status: 'UNDER_REVIEW' }, captured: true },
			// Never a success (the answer does not confirm it), never not_captured (it was captured).
			outcomes: ['unknown'],
		},
		// The answer is about 100 bytes: at 1 ms a byte it may end within the timeout, at 10 ms it cannot.
		{ name: 'trickled answer', share: 0.003, fault: { kind: 'trickle', intervalMs: 1 } },
		{ name: 'trickled answer past the timeout', share: 0.002, fault: { kind: 'trickle', intervalMs: 10 }, outcomes: ['unknown'] },
		{ name: 'endless trickled answer', share: 0.002, fault: { kind: 'trickle', intervalMs: 50, endless: true }, outcomes: ['unknown'] },
	];
}

export type Order = {
	paymentToken: string;
	amount: number | string;
};

/** The ways an order names the payment of an earlier order. */
export const REPEATS = ['as is', 'upper case', 'mixed case', 'padded with spaces', 'between tab and newline'] as const;

const spell: Record<(typeof REPEATS)[number], (token: string) => string> = {
	'as is': (token) => token,
	'upper case': (token) => token.toUpperCase(),
	'mixed case': (token) => [...token].map((char, index) => (index % 2 ? char.toUpperCase() : char)).join(''),
	'padded with spaces': (token) => `  ${token} `,
	'between tab and newline': (token) => `\t${token}\n`,
};

export interface PlannedBatch {
	orders: Order[];
	/** Per order: the outcomes it may end with. */
	outcomes: ItemOutcome[][];
	/** Per order: the fault it meets, `repeat (...)` for a repeated payment, or undefined. */
	kinds: Array<string | undefined>;
}

/**
 * One payment, however its token is spelled: the node trims tokens and matches them in any case,
 * and Letpay's ledger (in the emulator's case-insensitive mode) records them in lower case.
 */
export const paymentKey = (token: string) => token.trim().toLowerCase();

/** Every this-many items, an order names an earlier order's payment, in one of REPEATS' spellings. */
const REPEAT_EVERY = 40;

/**
 * Orders for one execution, one batch per run of the node, all pre-authorized except about 2%,
 * amounts of at most two decimals up to 99.99 (some as strings), and faults injected per the mix.
 * Every REPEAT_EVERY-th order repeats an earlier payment (in a later batch, one of an earlier
 * batch every other time) with a different amount, so each capture in the ledger tells which
 * item made it; it meets no fault of its own and must be handled by the earlier item.
 */
export function planRun(emulator: LetpayEmulator, sizes: number[], seed: number, mix: FaultKind[]): PlannedBatch[] {
	const random = seededRandom(seed);
	const originals: Array<{ token: string; batch: number }> = [];
	const amountsByPayment = new Map<string, Set<number>>();
	const amountFor = (key: string) => {
		const taken = amountsByPayment.get(key) ?? new Set<number>();
		let cents: number;
		do cents = 1 + Math.floor(random() * 9999);
		while (taken.has(cents));
		amountsByPayment.set(key, taken.add(cents));
		return random() < 0.2 ? (cents / 100).toFixed(2) : cents / 100;
	};
	return sizes.map((size, batch): PlannedBatch => {
		// Each kind of fault meets at least one item of the batch (not a repeat).
		const forced = new Map<number, FaultKind>();
		for (const kind of mix) {
			let index: number;
			do index = Math.floor(random() * size);
			while (forced.has(index) || index % REPEAT_EVERY === REPEAT_EVERY - 1);
			forced.set(index, kind);
		}
		const planned: PlannedBatch = { orders: [], outcomes: [], kinds: [] };
		let repeats = 0;
		for (let index = 0; index < size; index++) {
			if (index % REPEAT_EVERY === REPEAT_EVERY - 1) {
				const earlierBatches = originals.filter((original) => original.batch < batch);
				const pool = earlierBatches.length > 0 && repeats % 2 === 0 ? earlierBatches : originals;
				const original = pool[Math.floor(random() * pool.length)];
				const how = REPEATS[repeats++ % REPEATS.length];
				planned.orders.push({ paymentToken: spell[how](original.token), amount: amountFor(paymentKey(original.token)) });
				planned.outcomes.push(['handled_by_earlier_item']);
				planned.kinds.push(`repeat (${how}${original.batch < batch ? ', of an earlier batch' : ''})`);
				continue;
			}
			const paymentToken = `rel-${seed}-${batch + 1}-${index.toString().padStart(5, '0')}`;
			originals.push({ token: paymentToken, batch });
			planned.orders.push({ paymentToken, amount: amountFor(paymentKey(paymentToken)) });
			// Twice the largest amount: where Letpay accepts repeated captures, a resend (or a
			// repeat that got through) would fit.
			if (random() >= 0.02) emulator.preAuthorize({ paymentToken, amount: '200.00' });
			let kind = forced.get(index);
			if (!kind) {
				let pick = random();
				kind = mix.find(({ share }) => (pick -= share) < 0);
			}
			if (kind) emulator.injectFault(paymentToken, kind.fault, kind.times ?? 1);
			planned.outcomes.push(kind?.outcomes ?? ANY_OUTCOME);
			planned.kinds.push(kind?.name);
		}
		return planned;
	});
}
