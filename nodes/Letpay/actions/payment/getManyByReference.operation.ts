import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { lookupFailedReport, notSentReport } from '../../errors/reports';
import type { LetpayClient } from '../../transport/letpayClient';
import { DEFAULT_RESEND_POLICY } from '../../transport/resendPolicy';
import type { OperationOutcome } from '../types';
import { invalidInput } from './invalidInput';
import { concurrencyOption, optionsCollection } from './parameters';
import { amountOf, isoDate, statusOf, withoutTokens } from './lookup';
import { lookupOptions, readConcurrency, readLookupOptions, type LookupSettings } from './lookup.options';

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

export interface ReferenceRequest extends LookupSettings {
	reference: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): ReferenceRequest {
	const raw = this.getNodeParameter('reference', itemIndex);
	const reference = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (reference === '') throw invalidInput(this, itemIndex, 'Reference', raw, 'is empty');
	if (reference.length > MAX_REFERENCE_LENGTH) {
		throw invalidInput(this, itemIndex, 'Reference', raw, `is ${reference.length} characters long; Letpay references have at most 45`);
	}
	if (reference === '.' || reference === '..' || /\p{Cc}/u.test(reference)) {
		throw invalidInput(this, itemIndex, 'Reference', raw, 'cannot name an order (a dot path or a control character)');
	}
	return { reference, ...readLookupOptions(this, itemIndex) };
}

export const concurrency = readConcurrency;

function paymentItem(payment: IDataObject, raw: IDataObject | undefined): IDataObject {
	return {
		paymentToken: typeof payment.paymentToken === 'string' ? payment.paymentToken : null,
		reference: typeof payment.reference === 'string' ? payment.reference : null,
		transactionStatus: statusOf(payment.transactionStatus),
		currency: typeof payment.currency === 'string' ? payment.currency : null,
		amountReceived: amountOf(payment.amount_received),
		refundedAmount: amountOf(payment.refunded_amount),
		createdAt: isoDate(payment.createdAt),
		expiresAt: isoDate(payment.expirationDate),
		...(raw ? { letpay: raw } : {}),
	};
}

/**
 * One item per payment of the reference, each paired with the input item. A reference without
 * payments gives no item, as n8n's own "get many" operations do (the node's Always Output Data
 * setting turns that into one empty item).
 */
export async function execute(this: IExecuteFunctions, client: LetpayClient, request: ReferenceRequest): Promise<OperationOutcome> {
	const result = await client.send({
		method: 'GET',
		path: `/payment/reference/${encodeURIComponent(request.reference)}`,
		timeoutMs: request.timeoutMs,
		resend: { ...DEFAULT_RESEND_POLICY, maxRetries: request.maxRetries, repeatable: true },
	});
	if (!result.ok) {
		if (result.report.httpCode === '404' && result.report.letpay.codes.includes(NO_PAYMENT)) return { ok: true, json: [] };
		return { ok: false, report: lookupFailedReport(result.report, `the payments of reference "${request.reference}"`), facts: { attempts: result.attempts } };
	}
	const payments = result.body.payments;
	if (!Array.isArray(payments)) {
		const report = notSentReport(
			`Letpay's answer for reference "${request.reference}" holds no list of payments`,
			'later',
			`Letpay answered HTTP ${result.status} without a "payments" list (${client.environment}). A look-up changes nothing in Letpay.`,
		);
		return { ok: false, report: { ...report, outcome: 'no_money_moved' }, facts: { attempts: result.attempts } };
	}
	const items = payments.filter((payment): payment is IDataObject => !!payment && typeof payment === 'object');
	const tokens = [...result.tokens, String(result.body.refresh_token ?? '')];
	// The flat fields come from the scrubbed answer: Letpay's texts may quote a token too.
	return { ok: true, json: items.map((payment) => withoutTokens(payment, tokens)).map((payment) => paymentItem(payment, request.includeRaw ? payment : undefined)) };
}
