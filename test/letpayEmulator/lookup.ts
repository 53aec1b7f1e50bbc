import type { Decision } from './capture';
import { errorEnvelope } from './responses';
import type { LetpayState, Payment } from './state';

/*
 * Letpay's look-ups, in the shapes of its public reference (API-NOTES): GET /transactionDetails
 * (snake_case, grouped) and GET /payment/reference (camelCase, a list). The status comes from
 * the ledger: PRE_AUTHORIZED until a capture is visible (after `lookupLagMs`), PROCESSING, then
 * PAID (DECLINED for `declineCapture`) `paidAfterMs` after the capture; REFUNDED once refunded in
 * full; or the status a test set (emulator.setStatus).
 */
export type TransactionStatus = 'PRE_AUTHORIZED' | 'PROCESSING' | 'PAID' | 'DECLINED' | 'CANCELED' | 'REFUNDED' | 'DISPUTE';

const NOT_FOUND = 'This transaction id paymentToken could not be found.';
const REFERENCE_NOT_FOUND = 'Transaction not found';
/** Pre-authorizations can be captured for five days ("Pre-auth cancelation has a TTL of 5 days"). */
const PRE_AUTH_TTL_MS = 5 * 24 * 3_600_000;

/** `yyyy-MM-dd HH:mm:ss`, as Letpay writes dates in look-ups (UTC here). */
export function letpayDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export const amount = (cents: number) => Number((cents / 100).toFixed(2));

export function statusOf(state: LetpayState, payment: Payment): { status: TransactionStatus; capturedCents: number } {
	// Declined or canceled: Letpay took nothing, whatever was captured.
	if (payment.status === 'DECLINED' || payment.status === 'CANCELED') return { status: payment.status, capturedCents: 0 };
	if (payment.expired) return { status: 'CANCELED', capturedCents: 0 };
	const now = state.now();
	const visible = state.capturesOf(payment.paymentToken).filter((capture) => Date.parse(capture.at) + state.options.lookupLagMs <= now);
	const capturedCents = visible.reduce((sum, capture) => sum + capture.amountCents, 0);
	// Refunded or disputed by a test (emulator.setStatus): shown at once, the capture still counted.
	if (payment.status) return { status: payment.status, capturedCents };
	if (visible.length === 0) return { status: 'PRE_AUTHORIZED', capturedCents: 0 };
	if (payment.refundedCents >= capturedCents) return { status: 'REFUNDED', capturedCents };
	// `settled`: the PAID or DECLINED notification went out (a real timer), so a look-up made after
	// it never shows PROCESSING, whatever the emulator's clock says.
	const settled = payment.settled || Date.parse(visible[0].at) + state.options.paidAfterMs <= now;
	if (!settled) return { status: 'PROCESSING', capturedCents };
	return payment.declineCapture ? { status: 'DECLINED', capturedCents: 0 } : { status: 'PAID', capturedCents };
}

export function transactionDetails(state: LetpayState, merchantId: string, accessToken: string, paymentToken: string, path: string): Decision {
	const refresh = state.refreshToken(accessToken);
	const payment = state.payments.get(state.paymentKey(paymentToken));
	if (!payment || payment.merchantId !== merchantId) {
		return { status: 400, body: errorEnvelope(state.now(), 400, path, NOT_FOUND, '00.01.0038', refresh) };
	}
	const { status, capturedCents } = statusOf(state, payment);
	const declined = status === 'DECLINED';
	return {
		status: 200,
		body: {
			general_info: {
				transaction_status: status,
				transaction_id: `tx-${payment.paymentToken.slice(0, 8)}`,
				external_id: payment.reference ?? null,
			},
			payment_info: {
				order_amount: amount(payment.authorizedCents),
				order_currency: payment.currency,
				payment_amount: amount(capturedCents),
				refunded_amount: amount(payment.refundedCents),
				error_code: declined ? '01.03.0001' : null,
				error_description: declined ? 'Transaction declined' : null,
				card_number: '411111******1111',
				card_scheme: 'VISA',
				expiration_date: letpayDate(payment.createdAt + PRE_AUTH_TTL_MS),
			},
			customer_info: {
				customer_id: `customer-${payment.paymentToken.slice(0, 4)}`,
				tax_id: '***.***.***-**',
				contact: { email: 'buyer@example.com' },
				order_ip: '203.0.113.7',
			},
			refresh_token: refresh,
		},
	};
}

export function paymentsByReference(state: LetpayState, merchantId: string, accessToken: string, reference: string, path: string): Decision {
	const refresh = state.refreshToken(accessToken);
	const payments = [...state.payments.values()].filter((payment) => payment.reference === reference && payment.merchantId === merchantId);
	if (payments.length === 0) {
		return { status: 404, body: errorEnvelope(state.now(), 404, path, REFERENCE_NOT_FOUND, '01.04.0012', refresh) };
	}
	return {
		status: 200,
		body: {
			payments: payments.map((payment) => {
				const { status, capturedCents } = statusOf(state, payment);
				return {
					paymentToken: payment.paymentToken,
					createdAt: letpayDate(payment.createdAt),
					transactionStatus: status,
					currency: payment.currency,
					amount_received: amount(capturedCents),
					refunded_amount: amount(payment.refundedCents),
					reference: payment.reference,
					expirationDate: letpayDate(payment.createdAt + PRE_AUTH_TTL_MS),
					extra_data: null,
				};
			}),
			refresh_token: refresh,
		},
	};
}
