import { readAmountLexeme } from './requestBody';
import { errorEnvelope } from './responses';
import type { LetpayState } from './state';

export interface Decision {
	status: number;
	body: Record<string, unknown>;
	/** Set when Letpay accepted the capture: the ledger entry to record. */
	capture?: { paymentToken: string; amountCents: number };
}

const MESSAGES = {
	malformed: 'Malformed JSON request.',
	missing: 'amount: field must not be null',
	twoDecimals: 'amount: Value must have a maximum of two decimal places.',
	notPositive: 'The payment amount must be greater than 0',
	notPreAuthorized: "The payment token was not pre-authorized, so it can't be captured.",
	otherMerchant: 'This payment paymentToken does not belong to this merchant, user username',
	alreadyCaptured: 'Capture already performed or expired',
	aboveAuthorized: 'The request amount is higher than the pre-authorized amount available',
	partialRefused: 'Amount is different from the approved pre-authorization.',
	statusCannotChange: 'Transaction status can not change',
};

function parseJsonObject(text: string): Record<string, unknown> | undefined {
	try {
		const parsed = JSON.parse(text) as unknown;
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
			? (parsed as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

/**
 * Letpay's capture rules, in the order the documented examples and API-NOTES' assumptions
 * imply: request shape (400), then the payment's business rules (422), then success.
 */
export function decideCapture(
	state: LetpayState,
	merchantId: string,
	accessToken: string,
	paymentToken: string,
	path: string,
	rawBody: string,
): Decision {
	const refresh = state.refreshToken(accessToken);
	const fail = (status: number, code: string, message: string): Decision => ({
		status,
		body: errorEnvelope(state.now(), status, path, message, code, refresh),
	});

	const parsed = parseJsonObject(rawBody);
	if (!parsed) return fail(400, '00.01.0044', MESSAGES.malformed);
	const amount = readAmountLexeme(rawBody, parsed);
	if (amount.kind === 'missing') return fail(400, '00.01.0039', MESSAGES.missing);
	if (amount.decimals > 2) return fail(400, '00.01.0044', MESSAGES.twoDecimals);
	if (amount.cents === undefined || amount.cents <= 0) return fail(400, '00.01.0058', MESSAGES.notPositive);

	const payment = state.payments.get(state.paymentKey(paymentToken));
	if (!payment) return fail(422, '00.04.0010', MESSAGES.notPreAuthorized);
	if (payment.merchantId !== merchantId) return fail(422, '00.04.0005', MESSAGES.otherMerchant);
	if (payment.expired) return fail(422, '01.05.0003', MESSAGES.alreadyCaptured);
	if (payment.status) return fail(422, '00.04.0012', MESSAGES.statusCannotChange);
	const earlier = state.capturesOf(paymentToken);
	if (earlier.length > 0 && state.options.repeatCaptures === 'refuse') {
		return fail(422, '01.05.0003', MESSAGES.alreadyCaptured);
	}
	const alreadyCaptured = earlier.reduce((sum, capture) => sum + capture.amountCents, 0);
	if (alreadyCaptured + amount.cents > payment.authorizedCents) return fail(422, '00.04.0011', MESSAGES.aboveAuthorized);
	if (payment.refusePartialCapture && amount.cents !== payment.authorizedCents) {
		return fail(422, '01.05.0006', MESSAGES.partialRefused);
	}
	return {
		status: 200,
		body: { transaction_status: 'PROCESSING', payment_token: paymentToken, refresh_token: refresh },
		capture: { paymentToken, amountCents: amount.cents },
	};
}
