import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { lookupFailedReport, report, type ItemOutcome } from '../../errors/report';
import { letpayAmount } from '../../money/amount';
import type { LetpayClient } from '../../transport/letpayClient';
import { letpayDate, statusOf, withoutTokens } from '../../validation/letpayAnswer';
import { concurrencyOption, invalidInput, lookupOptions, optionsCollection, readConcurrency, readOptions, type ItemOptions } from './parameters';

const show = { resource: ['payment'], operation: ['getManyByReference'] };
/** Letpay's reference_id holds at most 45 characters. */
const MAX_REFERENCE_LENGTH = 45;
/** Letpay's "Transaction not found": the reference has no payment. */
const NO_PAYMENT = '01.04.0012';

export const description: INodeProperties[] = [
	{
		displayName: 'Reference',
		name: 'reference',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. order-10042',
		description: "Your order reference, as given to Letpay in the payment's reference_id (at most 45 characters)",
		displayOptions: { show },
	},
	optionsCollection(show, [concurrencyOption('look-ups'), ...lookupOptions]),
];

export type ReferenceRequest = ItemOptions & { reference: string };

export function prepare(ctx: IExecuteFunctions, itemIndex: number): ReferenceRequest {
	const raw = ctx.getNodeParameter('reference', itemIndex);
	const reference = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (reference === '') throw invalidInput(ctx, itemIndex, 'Reference', raw, 'is empty');
	if (reference.length > MAX_REFERENCE_LENGTH) {
		throw invalidInput(ctx, itemIndex, 'Reference', raw, `is ${reference.length} characters long; Letpay references have at most 45`);
	}
	if (reference === '.' || reference === '..' || /\p{Cc}/u.test(reference)) {
		throw invalidInput(ctx, itemIndex, 'Reference', raw, 'cannot name an order (a dot path or a control character)');
	}
	return { ...readOptions(ctx, itemIndex), reference };
}

export const concurrency = readConcurrency;

function paymentItem(payment: IDataObject, raw: IDataObject | undefined): IDataObject {
	return {
		paymentToken: typeof payment.paymentToken === 'string' ? payment.paymentToken : null,
		reference: typeof payment.reference === 'string' ? payment.reference : null,
		transactionStatus: statusOf(payment.transactionStatus),
		currency: typeof payment.currency === 'string' ? payment.currency : null,
		amountReceived: letpayAmount(payment.amount_received),
		refundedAmount: letpayAmount(payment.refunded_amount),
		createdAt: letpayDate(payment.createdAt),
		expiresAt: letpayDate(payment.expirationDate),
		...(raw ? { letpay: raw } : {}),
	};
}

/**
 * One item per payment of the reference, each paired with the input item. A reference without
 * payments gives no item, as n8n's own "get many" operations do (the node's Always Output Data
 * setting turns that into one empty item).
 */
export async function execute(client: LetpayClient, request: ReferenceRequest): Promise<ItemOutcome> {
	const result = await client.send({
		method: 'GET',
		path: `/payment/reference/${encodeURIComponent(request.reference)}`,
		timeoutMs: request.timeoutMs,
		maxRetries: request.maxRetries,
	});
	if (!result.ok) {
		if (result.report.httpCode === '404' && result.report.letpay.codes.includes(NO_PAYMENT)) return { ok: true, json: [] };
		return { ok: false, report: lookupFailedReport(result.report, `the payments of reference "${request.reference}"`), facts: { attempts: result.attempts } };
	}
	const payments = result.body.payments;
	if (!Array.isArray(payments)) {
		const noList = report({
			message: `Letpay's answer for reference "${request.reference}" holds no list of payments`,
			description: `Letpay answered HTTP ${result.status} without a "payments" list (${client.environment}). A look-up changes nothing in Letpay.`,
			outcome: 'no_money_moved',
			retryAdvice: 'later',
		});
		return { ok: false, report: noList, facts: { attempts: result.attempts } };
	}
	const items = payments.filter((payment): payment is IDataObject => !!payment && typeof payment === 'object');
	const tokens = [...result.tokens, String(result.body.refresh_token ?? '')];
	// The flat fields come from the scrubbed answer: Letpay's texts may quote a token too.
	return { ok: true, json: items.map((payment) => withoutTokens(payment, tokens) as IDataObject).map((payment) => paymentItem(payment, request.includeRaw ? payment : undefined)) };
}
