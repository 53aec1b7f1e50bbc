import { amount, letpayDate } from './lookup';
import { letpayTimestamp } from './responses';
import type { NotificationShape } from './types';

/** What a notification says about a payment, taken when its status changed. */
export interface NotificationFacts {
	paymentToken: string;
	status: string;
	reference?: string;
	currency: string;
	orderCents: number;
	paymentCents: number;
	refundedCents: number;
	/** When the status changed (the emulator's clock). */
	at: number;
}

/*
 * Letpay documents no notification body. The two shapes a trigger must read, so that it never
 * depends on one guess: `flat` uses the snake_case names of Letpay's look-ups (transactionDetails),
 * `nested` an event envelope with camelCase data (the spelling of GET /payment/reference).
 */
export function notificationBody(shape: NotificationShape, facts: NotificationFacts): Record<string, unknown> {
	if (shape === 'nested') {
		return {
			event: 'payment.status_changed',
			data: {
				paymentToken: facts.paymentToken,
				status: facts.status,
				reference: facts.reference ?? null,
				currency: facts.currency,
				orderAmount: amount(facts.orderCents),
				paymentAmount: amount(facts.paymentCents),
				refundedAmount: amount(facts.refundedCents),
				updatedAt: letpayTimestamp(facts.at),
			},
		};
	}
	return {
		payment_token: facts.paymentToken,
		transaction_status: facts.status,
		reference_id: facts.reference ?? null,
		order_amount: amount(facts.orderCents),
		order_currency: facts.currency,
		payment_amount: amount(facts.paymentCents),
		refunded_amount: amount(facts.refundedCents),
		event_date: letpayDate(facts.at),
	};
}
