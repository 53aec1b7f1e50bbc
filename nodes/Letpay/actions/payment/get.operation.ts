import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemOutcome } from '../../errors/report';
import type { LetpayClient } from '../../transport/letpayClient';
import { checkPaymentToken } from '../../validation/input';
import { lookUpPayment } from './lookup';
import { concurrencyOption, invalidInput, lookupOptions, optionsCollection, paymentTokenParameter, readConcurrency, readOptions, type ItemOptions } from './parameters';

const show = { resource: ['payment'], operation: ['get'] };

export const description: INodeProperties[] = [
	paymentTokenParameter(show, 'Token of the payment to look up, as Letpay returned it when the payment was created'),
	optionsCollection(show, [concurrencyOption('look-ups'), ...lookupOptions]),
];

export type GetRequest = ItemOptions & { paymentToken: string };

export function prepare(ctx: IExecuteFunctions, itemIndex: number): GetRequest {
	const rawToken = ctx.getNodeParameter('preAuthorizedPayment', itemIndex);
	const token = checkPaymentToken(rawToken);
	if (!token.valid) throw invalidInput(ctx, itemIndex, 'Payment Token', rawToken, token.reason);
	return { ...readOptions(ctx, itemIndex), paymentToken: token.token };
}

export const concurrency = readConcurrency;

/** One flat item per payment: its status, amounts, card and dates (ISO 8601). */
export async function execute(client: LetpayClient, request: GetRequest): Promise<ItemOutcome> {
	const result = await lookUpPayment(client, request.paymentToken, request);
	if (!result.ok) return { ok: false, report: result.report, facts: { attempts: result.attempts, paymentToken: request.paymentToken } };
	const json: IDataObject = { ...result.details };
	if (request.includeRaw) json.letpay = result.raw;
	return { ok: true, json };
}
