import { DateTime } from 'luxon';
import {
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
import { invalidInput } from './invalidInput';
import { paymentTokenParameter } from './parameters';
import { readConcurrency } from './lookup.options';
import { markInFlight, marksOf, recordKey, settleMark } from './captureRecord';
import type { LetpayErrorReport } from '../../errors/explainFailure';
import {
	captureOptions,
	DEFAULT_TIMEOUT_MS,
	DEFAULT_VERIFICATION_WINDOW_MS,
	MAX_TIMEOUT_MS,
	MAX_VERIFICATION_WINDOW_MS,
} from './capture.options';
import { afterAlreadyCaptured, afterUncertainAnswer, checkBeforeCapture, sentByThisProcess, type FollowUpRequest } from './captureFollowUp';
import { itemOptions } from '../itemOptions';

const show = { resource: ['payment'], operation: ['capture'] };

export const description: INodeProperties[] = [
	{
		displayName:
			"Money moves here. Keep this node's Retry On Fail setting off (the node refuses to run with it), set Settings → On Error to 'Continue (using error output)', and branch on error.outcome.",
		name: 'captureSafetyNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	paymentTokenParameter(
		show,
		"Token of the pre-authorized payment: Letpay's payment_token from the payment created with delayed capture, usually stored with the order",
	),
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		required: true,
		default: 0,
		// No numberPrecision: the editor would round 12.345 to 12.35 when the field loses focus. The
		// node's own check refuses a third decimal instead, as it does for expressions.
		typeOptions: { minValue: 0 },
		description:
			'Amount to capture, with at most two decimals. At most the pre-authorized amount; some acquirers only accept exactly that amount.',
		displayOptions: { show },
	},
	captureOptions(show),
];

export interface CaptureRequest extends FollowUpRequest {
	amountText: string;
	includeRefreshToken: boolean;
	duplicateTokens: 'fail' | 'skip';
	checkBeforeCapture: boolean;
}

const clamp = (value: unknown, fallback: number, min: number, max: number) =>
	Math.min(max, Math.max(min, typeof value === 'number' && Number.isFinite(value) ? value : fallback));

/** Reads and checks one item's parameters. Throws before anything is sent. */
export function prepare(this: IExecuteFunctions, itemIndex: number): CaptureRequest {
	const rawToken = this.getNodeParameter('preAuthorizedPayment', itemIndex);
	const token = checkPaymentToken(rawToken);
	if (!token.valid) throw invalidInput(this, itemIndex, 'Payment Token', rawToken, token.reason);

	const rawAmount = this.getNodeParameter('amount', itemIndex);
	const amount = checkCaptureAmount(rawAmount);
	if (!amount.valid) throw invalidInput(this, itemIndex, 'Amount', rawAmount, amount.reason);

	const options = itemOptions(this, itemIndex);
	return {
		paymentToken: token.token,
		cents: amount.cents,
		amountText: amount.text,
		amount: amount.value,
		includeRefreshToken: options.includeRefreshToken === true,
		timeoutMs: clamp(options.timeout, DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS),
		maxRetries: Math.floor(clamp(options.maxRetries, 2, 0, 10)),
		duplicateTokens: options.duplicateTokens === 'skip' ? 'skip' : 'fail',
		verificationWindowMs: clamp(options.verificationWindow, DEFAULT_VERIFICATION_WINDOW_MS, 0, MAX_VERIFICATION_WINDOW_MS),
		ifAlreadyCaptured: options.ifAlreadyCaptured === 'output' ? 'output' : 'fail',
		// An AI agent may repeat a tool call: as a tool, the node always checks first.
		checkBeforeCapture: options.checkBeforeCapture === true || this.getNode().type.endsWith('Tool'),
	};
}

export const concurrency = readConcurrency;

export const movesMoney = true;

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
	const facts = { paymentToken: request.paymentToken, amount: request.amount };
	const key = recordKey(request.paymentToken);
	if (request.checkBeforeCapture) {
		const sentBefore = sentByThisProcess(marksOf(key), facts);
		if (sentBefore) return sentBefore;
		const check = await checkBeforeCapture(client, request, facts);
		if (!check.proceed) return check.outcome;
		// Another execution may have sent it while the look-up ran: checked again, with no wait
		// between this check and the mark (captureRecord.ts, rules 1 and 3).
		const sentMeanwhile = sentByThisProcess(marksOf(key), facts);
		if (sentMeanwhile) return sentMeanwhile;
	}
	// Other captures of this payment by this process, before this one or while it is on its way or
	// looked up: a look-up's total could be theirs (captureRecord.ts).
	const mark = markInFlight(key, request.cents);
	const sentByOthers = () => marksOf(key).some((other) => other !== mark);
	const outcome = await captureAndFollowUp(client, request, sentByOthers);
	settleMark(key, mark, settledAs(outcome));
	return outcome;
}

/** Captured, possibly captured, or refused by Letpay (nothing moved, or the payment was captured before). */
function settledAs(outcome: OperationOutcome): 'captured' | 'unknown' | 'refused' {
	if (outcome.ok) return (outcome.json as IDataObject).alreadyCaptured === true ? 'refused' : 'captured';
	return outcome.report.outcome === 'unknown' ? 'unknown' : 'refused';
}

async function captureAndFollowUp(client: LetpayClient, request: CaptureRequest, sentByOthers: () => boolean): Promise<OperationOutcome> {
	const result = await client.send({
		method: 'POST',
		path: `/token/${encodeURIComponent(request.paymentToken)}/capture`,
		jsonText: `{"amount":${request.amountText}}`,
		timeoutMs: request.timeoutMs,
		resend: { ...DEFAULT_RESEND_POLICY, maxRetries: request.maxRetries },
	});
	const facts = { attempts: result.attempts, paymentToken: request.paymentToken, amount: request.amount };
	const followUp = async (report: LetpayErrorReport): Promise<OperationOutcome> => {
		if (report.outcome === 'unknown' && request.verificationWindowMs > 0) {
			return await afterUncertainAnswer(client, request, report, facts, sentByOthers);
		}
		if (report.outcome === 'already_captured_or_expired') return await afterAlreadyCaptured(client, request, report, facts);
		return { ok: false, report, facts };
	};
	if (!result.ok) return await followUp(result.report);
	const answer = readCaptureAnswer(result.status, result.body, request.paymentToken, {
		timeoutMs: request.timeoutMs,
		environment: client.environment,
		secrets: result.tokens,
	});
	if (!answer.captured) return await followUp(answer.report);
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
