import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import type { Fault, LetpayEmulator } from '../letpayEmulator';
import { TOKEN } from '../letpayEmulator/emulatorClient';
import type { CaptureRun } from './runWorkflow';
import type { Testbed } from './testbed';

/*
 * Building blocks of the capture tests: orders, pre-authorizations, and reading one item's result.
 */

/**
 * What the builder is shown for the first failed item, whatever On Error says: the error that
 * stopped the workflow, or that item's `json.error` on the error output (or regular output).
 */
export function firstError(result: CaptureRun): { message?: unknown; description?: unknown } | undefined {
	if (result.error) return result.error;
	const item = [...result.failed, ...result.success].find((output) => output.json.error !== undefined);
	return item?.json.error as IDataObject | undefined;
}

/** `count` distinct payment tokens, `prefix-000`, `prefix-001`, ... in input order. */
export function paymentTokens(count: number, prefix: string): string[] {
	return Array.from({ length: count }, (_value, index) => `${prefix}-${String(index).padStart(3, '0')}`);
}

/**
 * Pre-authorizes 10.00 for each payment token; the first capture answer for token `index` takes
 * `latencyOf(index)` ms more (none when 0).
 */
export function preAuthorizeAll(emulator: LetpayEmulator, tokens: string[], latencyOf: (index: number) => number = () => 0) {
	tokens.forEach((paymentToken, index) => {
		emulator.preAuthorize({ paymentToken, amount: '10.00' });
		const ms = latencyOf(index);
		if (ms > 0) emulator.injectFault(paymentToken, { kind: 'latency', ms });
	});
}

/** One order of 10.00 per payment token, in that order. */
export function ordersFor(tokens: string[]): IDataObject[] {
	return tokens.map((paymentToken) => ({ paymentToken, amount: 10 }));
}

/** The tests' payment token when one payment will do (`captureOnce` captures it): Letpay's form, a UUID. */
export const PAYMENT_TOKEN = TOKEN;
/** A second payment, for tests that need two (another payment token, another order). */
export const OTHER_PAYMENT_TOKEN = '633de157-9a42-4d30-bbad-bd9fb883e058';

/**
 * Captures one pre-authorized payment of 10.00 whose capture request meets `fault` (if any),
 * with "Continue (using error output)" so that the item's own result can be read: `captured` is
 * the success item's json, `error` the error item's `json.error`.
 */
export async function captureOnce(testbed: Testbed, fault?: Fault, options: IDataObject = {}) {
	testbed.emulator.preAuthorize({ paymentToken: PAYMENT_TOKEN, amount: '10.00' });
	if (fault) testbed.emulator.injectFault(PAYMENT_TOKEN, fault);
	const result = await testbed.run({
		orders: [{ paymentToken: PAYMENT_TOKEN, amount: 10 }],
		parameters: { options },
		onError: 'continueErrorOutput',
	});
	return {
		...result,
		captured: result.success[0]?.json,
		error: result.failed[0]?.json.error as IDataObject | undefined,
	};
}

/**
 * A payment token of the test's own. The node remembers the payments this process sent for 30
 * minutes (captureChecks.ts), so tests in one file that reuse a token would see each other's.
 */
export function freshPaymentToken(): string {
	return randomUUID();
}
