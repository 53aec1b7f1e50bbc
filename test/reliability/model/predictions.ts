import type { Label } from './itemReports';
import type { ItemPlan, Scenario } from './scenario';

/*
 * "Not vacuous": an item that meets no fault must end as Letpay's rules say, so a node that
 * answered "unknown" for everything would fail the model. Predicted only where nothing but the
 * execution itself decides: its payment is named in no other execution, no request for it meets
 * an injected fault, sign-ins cannot fail, and two processes do not revoke each other's tokens.
 * Within the execution, the first valid item of a payment is sent; the later ones never are.
 */

const ODD_AMOUNTS = new Set(['amount 12.345', 'amount abc', 'amount -5']);

/** Input the node accepts (an odd amount is refused before anything is sent). */
export const isValidInput = (item: ItemPlan) => !('odd' in item && ODD_AMOUNTS.has(item.odd));

function paymentOf(item: ItemPlan): string | number {
	// An odd token is a payment of its own; an odd amount names a payment of the pool.
	return 'odd' in item && !ODD_AMOUNTS.has(item.odd) ? item.odd : item.payment;
}

/** The labels the item may end with, or undefined when the model does not predict it. */
export function predictedLabels(scenario: Scenario, executionIndex: number, itemIndex: number): Label[] | undefined {
	const { letpay } = scenario;
	if (scenario.authFaults.length > 0 || (scenario.processes === 2 && letpay.accessTokens === 'newest-only')) return undefined;
	const execution = scenario.executions[executionIndex];
	const item = execution.items[itemIndex];
	const elsewhere = scenario.executions.some((other, index) => index !== executionIndex && other.items.some((otherItem) => paymentOf(otherItem) === paymentOf(item)));
	if (elsewhere) return undefined;
	// Invalid input is refused before anything is sent; an unknown token is not pre-authorized.
	if ('odd' in item && ODD_AMOUNTS.has(item.odd)) return ['not_captured'];
	const first = execution.items.findIndex((other) => paymentOf(other) === paymentOf(item) && isValidInput(other));
	if (first !== itemIndex) return [execution.options.duplicateTokens === 'skip' ? 'skipped' : 'handled_by_earlier_item'];
	// The same odd token (`constructor`...) in every scenario, and scenarios run side by side on the
	// same processes: another scenario's capture of it may be on its way, or remembered.
	if ('odd' in item) return ['not_captured', 'handled_by_earlier_item'];
	const payment = scenario.payments[item.payment];
	if (payment.captureFaults.length > 0 || payment.lookupFaults.length > 0) return undefined;

	const checksFirst = execution.tool || execution.options.checkBeforeCapture;
	const respelled = item.spelling === 'upper case' || item.spelling === 'mixed case';
	// Not pre-authorized, declined or canceled (00.04.0010, 00.04.0012; a look-up first shows it).
	if (!payment.preAuthorized || payment.status || (letpay.paymentTokenMatching === 'exact' && respelled)) return ['not_captured'];
	// Letpay refuses with 01.05.0003; a look-up before capturing shows CANCELED.
	if (payment.expired) return [checksFirst ? 'not_captured' : 'already_captured_or_expired'];
	const before = payment.capturedBeforeCents;
	// Captured the day before: Check Before Capture's look-up shows it (If Already Captured does not
	// apply there); after Letpay's own refusal (01.05.0003), If Already Captured decides.
	if (before > 0 && checksFirst) return ['already_captured_or_expired'];
	if (before > 0 && letpay.repeatCaptures === 'refuse') {
		return [execution.options.ifAlreadyCaptured === 'output' && item.cents === before ? 'already_captured' : 'already_captured_or_expired'];
	}
	if (before + item.cents > payment.authorizedCents) return ['not_captured'];
	if (payment.refusePartialCapture && item.cents !== payment.authorizedCents) return ['not_captured'];
	return ['captured'];
}
