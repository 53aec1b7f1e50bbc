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

/** Each kind with its share of the items; the rest of the items meet no fault. */
export const FAULT_MIX: Array<[name: string, share: number, fault: Fault, times?: number]> = [
	['latency', 0.05, { kind: 'latency', ms: 5 }],
	['hang past the timeout', 0.004, { kind: 'hang' }],
	['hang past the timeout after capturing', 0.004, { kind: 'hang', captured: true }],
	['reset before the request is read', 0.01, { kind: 'reset-before-read' }],
	['reset after capturing', 0.01, { kind: 'reset-after-capture' }],
	['502', 0.02, { kind: 'bad-gateway' }],
	['502 after capturing', 0.01, { kind: 'bad-gateway', captured: true }],
	['HTML error page', 0.01, { kind: 'html', status: 503 }],
	['empty body', 0.01, { kind: 'empty', status: 500, captured: true }],
	['invalid JSON', 0.01, { kind: 'invalid-json', status: 502 }],
	['429 with Retry-After (recovers)', 0.02, { kind: 'rate-limit', retryAfterSeconds: 0 }, 2],
	['429 with Retry-After (gives up)', 0.005, { kind: 'rate-limit', retryAfterSeconds: 0 }, 5],
];

export type Order = {
	paymentToken: string;
	amount: number | string;
};

export interface PlannedRun {
	orders: Order[];
	faultsByToken: Map<string, string>;
}

/**
 * `size` orders, all pre-authorized except about 2%, amounts of at most two decimals up to 99.99
 * (some as strings), and faults injected per the mix.
 */
export function planRun(emulator: LetpayEmulator, size: number, seed: number): PlannedRun {
	const random = seededRandom(seed);
	const orders: Order[] = [];
	const faultsByToken = new Map<string, string>();
	for (let index = 0; index < size; index++) {
		const paymentToken = `rel-${seed}-${index.toString().padStart(5, '0')}`;
		const cents = 1 + Math.floor(random() * 9999);
		orders.push({ paymentToken, amount: random() < 0.2 ? (cents / 100).toFixed(2) : cents / 100 });
		// Twice the largest amount: where Letpay accepts repeated captures, a resend would fit.
		if (random() >= 0.02) emulator.preAuthorize({ paymentToken, amount: '200.00' });
		let pick = random();
		for (const [name, share, fault, times] of FAULT_MIX) {
			if (pick < share) {
				emulator.injectFault(paymentToken, fault, times ?? 1);
				faultsByToken.set(paymentToken, name);
				break;
			}
			pick -= share;
		}
	}
	return { orders, faultsByToken };
}
