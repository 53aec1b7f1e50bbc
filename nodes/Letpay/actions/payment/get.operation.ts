import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemOutcome } from '../../errors/report';
import type { LetpayClient } from '../../transport/letpayClient';
import { checkPaymentToken } from '../../validation/input';
import { lookUpPayment, paymentItem } from './lookup';
import { concurrencyOption, invalidInput, lookupOptions, optionsCollection, paymentTokenParameter, readConcurrency, readOptions, type ItemOptions } from './parameters';

const show = { resource: ['payment'], operation: ['get'] };

export const description: INodeProperties[] = [
	paymentTokenParameter(show, 'Token of the payment to look up, as Letpay returned it when the payment was created'),
	{
		displayName: 'Simplify',
		name: 'simple',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		// Version 1 keeps its output: existing workflows see every field, as before.
		displayOptions: { show: { ...show, '@version': [2] } },
	},
	optionsCollection(show, [concurrencyOption('look-ups'), ...lookupOptions]),
];

export type GetRequest = ItemOptions & { paymentToken: string; simplify: boolean };

export function prepare(ctx: IExecuteFunctions, itemIndex: number): GetRequest {
	const rawToken = ctx.getNodeParameter('preAuthorizedPayment', itemIndex);
	const token = checkPaymentToken(rawToken);
	if (!token.valid) throw invalidInput(ctx, itemIndex, 'Payment Token', rawToken, token.reason);
	// Version 1 has no Simplify: it reads as off.
	const simplify = ctx.getNodeParameter('simple', itemIndex, false) === true;
	return { ...readOptions(ctx, itemIndex), paymentToken: token.token, simplify };
}

export const concurrency = readConcurrency;

/** One flat item per payment: its status, amounts, card and dates (ISO 8601); simplified, the fields a builder needs. */
export async function execute(client: LetpayClient, request: GetRequest): Promise<ItemOutcome> {
	const result = await lookUpPayment(client, request.paymentToken, request);
	if (!result.ok) return { ok: false, report: result.report, facts: { attempts: result.attempts, paymentToken: request.paymentToken } };
	const json = paymentItem(result.details, request.simplify);
	if (request.includeRaw) json.letpay = result.raw;
	return { ok: true, json };
}
