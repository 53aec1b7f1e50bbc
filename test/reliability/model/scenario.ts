import fc from 'fast-check';

import type { OnError } from '../../helpers/engine';
import { AUTH_FAULTS, CAPTURE_FAULTS, LOOKUP_FAULTS } from './faults';

/*
 * One scenario of the money model: what Letpay holds, which faults it will serve, and the
 * executions that one or two n8n processes run at once. Everything is plain data (faults by name),
 * so that a failing scenario prints as JSON a reader can follow and fast-check can shrink.
 */

export type Spelling = 'as is' | 'upper case' | 'mixed case' | 'padded';

export interface PaymentPlan {
	token: string;
	/** false: Letpay never pre-authorized it (00.04.0010). */
	preAuthorized: boolean;
	authorizedCents: number;
	/** Captured by the merchant the day before (part or all of it). */
	capturedBeforeCents: number;
	expired: boolean;
	/** No longer pre-authorized: Letpay refuses captures (00.04.0012). */
	status?: 'DECLINED' | 'CANCELED';
	refusePartialCapture: boolean;
	/** Served in order to this payment's capture requests, then to its look-ups. */
	captureFaults: string[];
	lookupFaults: string[];
}

/** An item names a payment of the pool, or is odd input the node must refuse or survive. */
export type ItemPlan =
	| { payment: number; spelling: Spelling; cents: number; asText: boolean }
	| { odd: 'constructor' | '__proto__' | 'toString' | 'amount 12.345' | 'amount abc' | 'amount -5'; payment: number };

export interface CaptureOptionsPlan {
	checkBeforeCapture: boolean;
	verificationWindow: number;
	ifAlreadyCaptured: 'fail' | 'output';
	duplicateTokens: 'fail' | 'skip';
	/** 'NaN': an expression that reads a field the items do not have. */
	concurrency: number | 'NaN';
	maxRetries: number;
	timeout: number;
	includeInputFields: boolean;
	includeRefreshToken: boolean;
}

export interface ExecutionPlan {
	process: number;
	startAfterMs: number;
	/** Run as an AI agent's tool (Check Before Capture is then always on). */
	tool: boolean;
	onError: OnError;
	options: CaptureOptionsPlan;
	items: ItemPlan[];
}

export interface Scenario {
	processes: 1 | 2;
	letpay: {
		refreshTokenMode: 'same' | 'rotate';
		accessTokens: 'all-live' | 'newest-only';
		repeatCaptures: 'refuse' | 'allow';
		paymentTokenMatching: 'exact' | 'case-insensitive';
		lookupLagMs: number;
		/** A captured payment shows PROCESSING, then PAID this long after. */
		paidAfterMs: number;
		/** Every access token expires once the emulator has logged this many requests. */
		expireTokensAfterRequests?: number;
	};
	authFaults: string[];
	payments: PaymentPlan[];
	executions: ExecutionPlan[];
}

/** Amounts from a small set, so that equal amounts on one payment occur (split shipments, re-sent webhooks). */
export const AMOUNTS_CENTS = [500, 750, 1000, 2000];
const AUTHORIZED_CENTS = [1000, 2000];
const WINDOWS_MS = [0, 300, 700];

const some = <T>(values: readonly T[]) => fc.constantFrom(...values);
/** Mostly nothing: items that meet no fault are the ones whose outcome the model predicts. */
const faultQueue = (names: string[], chance: number) =>
	fc.oneof({ weight: Math.round((1 - chance) * 100), arbitrary: fc.constant([] as string[]) }, { weight: Math.round(chance * 100), arbitrary: fc.array(some(names), { minLength: 1, maxLength: 3 }) });

const paymentArb = (index: number): fc.Arbitrary<PaymentPlan> =>
	fc
		.record({
			notPreAuthorized: fc.integer({ min: 0, max: 19 }),
			authorizedCents: some(AUTHORIZED_CENTS),
			before: some(['none', 'none', 'none', 'part', 'whole'] as const),
			expired: fc.integer({ min: 0, max: 14 }),
			status: fc.integer({ min: 0, max: 29 }).map((draw) => (draw === 0 ? ('DECLINED' as const) : draw === 1 ? ('CANCELED' as const) : undefined)),
			refusePartialCapture: fc.integer({ min: 0, max: 5 }),
			// 5xx answers and slow answers are what Letpay's users meet most: drawn more often.
			captureFaults: faultQueue([...Object.keys(CAPTURE_FAULTS), '502', '502 after capturing', 'latency', 'hang after capturing'], 0.3),
			lookupFaults: faultQueue(Object.keys(LOOKUP_FAULTS), 0.2),
		})
		.map(({ authorizedCents, before, notPreAuthorized, expired, status, refusePartialCapture, captureFaults, lookupFaults }) => ({
			token: `8f04a1c2-5b6d-4e7f-9a0b-c0ffee00000${index}`,
			preAuthorized: notPreAuthorized !== 0,
			authorizedCents,
			capturedBeforeCents: before === 'none' ? 0 : before === 'part' ? authorizedCents / 2 : authorizedCents,
			expired: before === 'none' && expired === 0,
			// One reason at a time: Letpay checks expiry before status, the model's predictions neither.
			...(before === 'none' && expired !== 0 && status ? { status } : {}),
			refusePartialCapture: refusePartialCapture === 0,
			captureFaults,
			lookupFaults,
		}));

const itemArb = (payments: number): fc.Arbitrary<ItemPlan> =>
	fc.oneof(
		{
			weight: 30,
			arbitrary: fc.record({
				payment: fc.nat({ max: payments - 1 }),
				spelling: fc.oneof({ weight: 6, arbitrary: fc.constant<Spelling>('as is') }, { weight: 1, arbitrary: some<Spelling>(['upper case', 'mixed case', 'padded']) }),
				cents: some(AMOUNTS_CENTS),
				asText: fc.boolean(),
			}),
		},
		{
			weight: 1,
			arbitrary: fc.record({
				odd: some(['constructor', '__proto__', 'toString', 'amount 12.345', 'amount abc', 'amount -5'] as const),
				payment: fc.nat({ max: payments - 1 }),
			}),
		},
	);

const optionsArb: fc.Arbitrary<CaptureOptionsPlan> = fc.record({
	checkBeforeCapture: fc.boolean(),
	verificationWindow: some(WINDOWS_MS),
	ifAlreadyCaptured: some(['fail', 'output'] as const),
	duplicateTokens: some(['fail', 'skip'] as const),
	concurrency: fc.oneof({ weight: 12, arbitrary: some([1, 3, 10]) }, { weight: 1, arbitrary: fc.constant<'NaN'>('NaN') }),
	maxRetries: some([0, 1, 2]),
	timeout: some([300, 600, 1200]),
	includeInputFields: fc.boolean(),
	includeRefreshToken: fc.integer({ min: 0, max: 9 }).map((draw) => draw === 0),
});

const executionArb = (payments: number, processes: number): fc.Arbitrary<ExecutionPlan> =>
	fc
		.record({
			process: fc.nat({ max: processes - 1 }),
			startAfterMs: fc.integer({ min: 0, max: 700 }),
			tool: fc.integer({ min: 0, max: 7 }).map((draw) => draw === 0),
			onError: some<OnError>(['continueErrorOutput', 'continueErrorOutput', 'continueRegularOutput', 'stopWorkflow']),
			options: optionsArb,
			items: fc.array(itemArb(payments), { minLength: 1, maxLength: 30 }),
		})
		// An agent calls the tool with one or two items.
		.map((execution) => (execution.tool ? { ...execution, items: execution.items.slice(0, 2) } : execution))
		// With Stop Workflow, invalid input or a duplicate to fail refuses the whole run before anything
		// is sent: mostly kept out, so that stopped runs that did send something are checked too.
		.map((execution) =>
			execution.onError === 'stopWorkflow' && execution.startAfterMs % 4 !== 0
				? { ...execution, options: { ...execution.options, duplicateTokens: 'skip' as const }, items: execution.items.filter((item) => !('odd' in item)) }
				: execution,
		)
		.filter((execution) => execution.items.length > 0);

export const scenarioArb: fc.Arbitrary<Scenario> = fc
	.record({
		processes: some([1, 2] as const),
		paymentCount: fc.integer({ min: 1, max: 8 }),
		letpay: fc.record({
			refreshTokenMode: some(['same', 'rotate'] as const),
			accessTokens: some(['all-live', 'newest-only'] as const),
			repeatCaptures: some(['refuse', 'allow'] as const),
			paymentTokenMatching: fc.oneof({ weight: 4, arbitrary: fc.constant('case-insensitive' as const) }, { weight: 1, arbitrary: fc.constant('exact' as const) }),
			// Up to twice the longest verification window.
			lookupLagMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 * Math.max(...WINDOWS_MS) })),
			paidAfterMs: some([0, 60_000]),
			expireTokensAfterRequests: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined, freq: 2 }),
		}),
		authFaults: faultQueue(Object.keys(AUTH_FAULTS), 0.15),
	})
	.chain(({ processes, paymentCount, letpay, authFaults }) =>
		fc.record({
			processes: fc.constant(processes),
			letpay: fc.constant(letpay),
			authFaults: fc.constant(authFaults),
			payments: fc.tuple(...Array.from({ length: paymentCount }, (_unused, index) => paymentArb(index))),
			executions: fc.array(executionArb(paymentCount, processes), { minLength: 1, maxLength: 4 }),
		}),
	);

export function spell(token: string, spelling: Spelling): string {
	switch (spelling) {
		case 'upper case':
			return token.toUpperCase();
		case 'mixed case':
			return [...token].map((char, index) => (index % 2 ? char.toUpperCase() : char)).join('');
		case 'padded':
			return `  ${token} `;
		default:
			return token;
	}
}
