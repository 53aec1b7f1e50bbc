import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { LetpayClient } from '../../transport/letpayClient';
import { checkPaymentToken } from '../../validation/paymentToken';
import type { OperationOutcome } from '../types';
import { invalidInput } from './invalidInput';
import { concurrencyOption, optionsCollection, paymentTokenParameter } from './parameters';
import { lookUpPayment } from './lookup';
import { lookupOptions, readConcurrency, readLookupOptions, type LookupSettings } from './lookup.options';

const show = { resource: ['payment'], operation: ['get'] };

export const description: INodeProperties[] = [
	paymentTokenParameter(show, 'Token of the payment to look up, as Letpay returned it when the payment was created'),
	optionsCollection(show, [concurrencyOption('look-ups'), ...lookupOptions]),
];

export interface GetRequest extends LookupSettings {
	paymentToken: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): GetRequest {
	const rawToken = this.getNodeParameter('preAuthorizedPayment', itemIndex);
	const token = checkPaymentToken(rawToken);
	if (!token.valid) throw invalidInput(this, itemIndex, 'Payment Token', rawToken, token.reason);
	return { paymentToken: token.token, ...readLookupOptions(this, itemIndex) };
}

export const concurrency = readConcurrency;

/** One flat item per payment: its status, amounts, card and dates (ISO 8601). */
export async function execute(this: IExecuteFunctions, client: LetpayClient, request: GetRequest): Promise<OperationOutcome> {
	const result = await lookUpPayment(client, request.paymentToken, request);
	if (!result.ok) return { ok: false, report: result.report, facts: { attempts: result.attempts, paymentToken: request.paymentToken } };
	const json: IDataObject = { ...result.details };
	if (request.includeRaw) json.letpay = result.raw;
	return { ok: true, json };
}
