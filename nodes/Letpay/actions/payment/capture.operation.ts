import { DateTime } from 'luxon';
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { checkCaptureAmount } from '../../money/amount';
import type { LetpayClient } from '../../transport/letpayClient';
import { DEFAULT_RESEND_POLICY } from '../../transport/resendPolicy';
import { checkPaymentToken } from '../../validation/paymentToken';
import type { OperationOutcome } from '../types';
import { readCaptureAnswer } from './captureAnswer';
import { captureOptions, DEFAULT_TIMEOUT_MS, MAX_CONCURRENCY, MAX_TIMEOUT_MS } from './capture.options';

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
	captureOptions(show),
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
	const timeout = typeof options.timeout === 'number' && options.timeout > 0 ? options.timeout : DEFAULT_TIMEOUT_MS;
	return {
		paymentToken: token.token,
		cents: amount.cents,
		amountText: amount.text,
		amount: amount.value,
		includeRefreshToken: options.includeRefreshToken === true,
		timeoutMs: Math.min(timeout, MAX_TIMEOUT_MS),
		maxRetries: typeof options.maxRetries === 'number' ? Math.max(0, Math.floor(options.maxRetries)) : 2,
		duplicateTokens: options.duplicateTokens === 'skip' ? 'skip' : 'fail',
	};
}

export function concurrency(this: IExecuteFunctions): number {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const wanted = typeof options.concurrency === 'number' ? Math.floor(options.concurrency) : 5;
	return Math.min(MAX_CONCURRENCY, Math.max(1, wanted));
}

/**
 * A payment is sent at most once per execution, whatever the input holds. Payment tokens are
 * UUIDs, so tokens that differ only in letter case name the same payment (the token is sent as
 * given).
 */
export const deduplication = {
	key: (request: CaptureRequest) => request.paymentToken.toLowerCase(),
	mode: (request: CaptureRequest) => request.duplicateTokens,
	describe: (request: CaptureRequest, itemIndex: number, earlier: string) =>
		`Payment Token "${request.paymentToken}" in item ${itemIndex + 1} names the same payment as ${earlier}: a payment is sent to Letpay at most once per execution`,
};

export async function execute(
	this: IExecuteFunctions,
	client: LetpayClient,
	request: CaptureRequest,
): Promise<OperationOutcome> {
	const result = await client.send({
		method: 'POST',
		path: `/token/${encodeURIComponent(request.paymentToken)}/capture`,
		jsonText: `{"amount":${request.amountText}}`,
		timeoutMs: request.timeoutMs,
		resend: { ...DEFAULT_RESEND_POLICY, maxRetries: request.maxRetries },
	});
	const facts = { attempts: result.attempts, paymentToken: request.paymentToken, amount: request.amount };
	if (!result.ok) return { ok: false, report: result.report, facts };
	const answer = readCaptureAnswer(result.status, result.body, request.paymentToken, {
		timeoutMs: request.timeoutMs,
		environment: client.environment,
	});
	if (!answer.captured) return { ok: false, report: answer.report, facts };
	const json: IDataObject = {
		success: true,
		paymentToken: request.paymentToken,
		transactionStatus: answer.transactionStatus,
		amount: request.amount,
		captureRequestedAt: DateTime.utc().toISO(),
	};
	if (request.includeRefreshToken && typeof result.body.refresh_token === 'string') {
		json.refreshToken = result.body.refresh_token;
	}
	return { ok: true, json };
}
