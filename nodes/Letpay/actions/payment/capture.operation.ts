import { DateTime } from 'luxon';
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { errorJson, toNodeApiError } from '../../errors/toNodeApiError';
import { checkCaptureAmount } from '../../money/amount';
import type { LetpayClient } from '../../transport/letpayClient';
import { DEFAULT_RESEND_POLICY } from '../../transport/resendPolicy';
import { checkPaymentToken } from '../../validation/paymentToken';
import type { OperationOutcome } from '../types';

const show = { resource: ['payment'], operation: ['capture'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Payment Token',
		// A payment token names a payment and is part of every output: it is not a secret. n8n's
		// lint takes any parameter name containing "token" for a secret, hence this name.
		name: 'preAuthorizedPayment',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 8f048623-16c6-47da-aca1-546a16e8fb99',
		description: 'Token of the pre-authorized payment to capture, as returned by Letpay',
		displayOptions: { show },
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		description:
			'Amount to capture, with at most two decimals. At most the pre-authorized amount; some acquirers only accept exactly that amount.',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50 },
				default: 5,
				description:
					'How many captures may be in flight at once. Output order and item pairing stay as in the input.',
			},
			{
				displayName: 'Duplicate Payment Tokens',
				name: 'duplicateTokens',
				type: 'options',
				default: 'fail',
				description:
					'What to do with an item whose payment token an earlier item of this run already has. It is never captured twice.',
				options: [
					{ name: 'Fail the Later Items', value: 'fail' },
					{ name: 'Skip the Later Items', value: 'skip' },
				],
			},
			{
				displayName: 'Include Refreshed Access Token',
				name: 'includeRefreshToken',
				type: 'boolean',
				default: false,
				description:
					"Whether to add Letpay's refresh_token to the output. It is a live access token: anyone who sees the execution data can use it until it expires.",
			},
			{
				displayName: 'Max Retries (Only When Letpay Was Not Reached)',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 2,
				description:
					'How often to resend a capture that certainly did not reach Letpay (connection refused, DNS failure, HTTP 429), waiting longer each time. A capture that may have reached Letpay is never resent.',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1000 },
				default: 30000,
				description:
					'How long to wait for Letpay to answer a capture. When it passes, the capture outcome is unknown and the item fails.',
			},
		],
	},
];

export interface CaptureRequest {
	paymentToken: string;
	cents: number;
	amountText: string;
	amount: number;
	includeRefreshToken: boolean;
	timeoutMs: number;
	maxRetries: number;
	duplicateTokens: 'fail' | 'skip';
}

function quote(value: unknown): string {
	const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function invalidInput(ctx: IExecuteFunctions, itemIndex: number, field: string, value: unknown, reason: string) {
	return new NodeOperationError(
		ctx.getNode(),
		`Invalid ${field} in item ${itemIndex + 1}: ${quote(value)} ${reason}`,
		{
			itemIndex,
			description: `Item index ${itemIndex} (counting from 0, as expressions do). Nothing was sent to Letpay for this item.`,
		},
	);
}

/** Reads and checks one item's parameters. Throws before anything is sent. */
export function prepare(this: IExecuteFunctions, itemIndex: number): CaptureRequest {
	const rawToken = this.getNodeParameter('preAuthorizedPayment', itemIndex);
	const token = checkPaymentToken(rawToken);
	if (!token.valid) throw invalidInput(this, itemIndex, 'Payment Token', rawToken, token.reason);

	const rawAmount = this.getNodeParameter('amount', itemIndex);
	const amount = checkCaptureAmount(rawAmount);
	if (!amount.valid) throw invalidInput(this, itemIndex, 'Amount', rawAmount, amount.reason);

	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		paymentToken: token.token,
		cents: amount.cents,
		amountText: amount.text,
		amount: amount.value,
		includeRefreshToken: options.includeRefreshToken === true,
		timeoutMs: typeof options.timeout === 'number' && options.timeout > 0 ? options.timeout : 30000,
		maxRetries: typeof options.maxRetries === 'number' ? Math.max(0, Math.floor(options.maxRetries)) : 2,
		duplicateTokens: options.duplicateTokens === 'skip' ? 'skip' : 'fail',
	};
}

const MAX_CONCURRENCY = 50;

export function concurrency(this: IExecuteFunctions): number {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const wanted = typeof options.concurrency === 'number' ? Math.floor(options.concurrency) : 5;
	return Math.min(MAX_CONCURRENCY, Math.max(1, wanted));
}

/** A payment is captured at most once per run, whatever the input holds. */
export const deduplication = {
	key: (request: CaptureRequest) => request.paymentToken,
	mode: (request: CaptureRequest) => request.duplicateTokens,
	describe: (request: CaptureRequest, itemIndex: number, firstIndex: number) =>
		`Payment Token "${request.paymentToken}" in item ${itemIndex + 1} was already given in item ${firstIndex + 1}: a payment is captured at most once per run`,
};

export async function execute(
	this: IExecuteFunctions,
	client: LetpayClient,
	request: CaptureRequest,
	itemIndex: number,
): Promise<OperationOutcome> {
	const path = `/token/${encodeURIComponent(request.paymentToken)}/capture`;
	const result = await client.post({
		path,
		jsonText: `{"amount":${request.amountText}}`,
		timeoutMs: request.timeoutMs,
		resend: { ...DEFAULT_RESEND_POLICY, maxRetries: request.maxRetries },
	});
	if (!result.ok) {
		return {
			ok: false,
			error: toNodeApiError(this.getNode(), result.report, itemIndex),
			errorJson: {
				...errorJson(result.report),
				attempts: result.attempts,
				paymentToken: request.paymentToken,
				amount: request.amount,
			},
		};
	}
	const { body } = result;
	const json: IDataObject = {
		success: true,
		paymentToken: typeof body.payment_token === 'string' ? body.payment_token : request.paymentToken,
		transactionStatus: typeof body.transaction_status === 'string' ? body.transaction_status : null,
		amount: request.amount,
		captureRequestedAt: DateTime.utc().toISO(),
	};
	if (request.includeRefreshToken && typeof body.refresh_token === 'string') {
		json.refreshToken = body.refresh_token;
	}
	return { ok: true, json };
}
