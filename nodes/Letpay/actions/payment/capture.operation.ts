import { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { refusedInAnswerReport, unconfirmedAnswerReport, type ItemOutcome, type LetpayErrorReport } from '../../errors/report';
import { checkCaptureAmount } from '../../money/amount';
import type { LetpayClient } from '../../transport/letpayClient';
import { CAPTURED_STATUSES, scrubSecrets, statusOf } from '../../validation/letpayAnswer';
import { checkPaymentToken, paymentKey } from '../../validation/input';
import { afterAlreadyCaptured, afterUncertainAnswer, captureFailed, checkBeforeCapture, markInFlight, marksOf, sentByThisProcess, settleMark } from './captureChecks';
import { captureOptions, invalidInput, paymentTokenParameter, readConcurrency, readOptions, type ItemOptions } from './parameters';

/*
 * Payment → Capture, the path of one item: prepare (read and check its parameters) → the
 * execution's duplicate check (router) → Check Before Capture when asked → mark the payment in
 * flight → POST /token/{payment token}/capture → read the answer → verify by look-up when the
 * outcome is unknown → settle the mark.
 */

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

/** One item's capture, as read from its parameters. */
export type CaptureRequest = ItemOptions & {
	paymentToken: string;
	cents: number;
	/** The amount as sent: digits written from the cents. */
	amountText: string;
	amount: number;
};

/** Reads and checks one item's parameters. Throws before anything is sent. */
export function prepare(ctx: IExecuteFunctions, itemIndex: number): CaptureRequest {
	const rawToken = ctx.getNodeParameter('preAuthorizedPayment', itemIndex);
	const token = checkPaymentToken(rawToken);
	if (!token.valid) throw invalidInput(ctx, itemIndex, 'Payment Token', rawToken, token.reason);

	const rawAmount = ctx.getNodeParameter('amount', itemIndex);
	const amount = checkCaptureAmount(rawAmount);
	if (!amount.valid) throw invalidInput(ctx, itemIndex, 'Amount', rawAmount, amount.reason);

	return { ...readOptions(ctx, itemIndex), paymentToken: token.token, cents: amount.cents, amountText: amount.text, amount: amount.value };
}

export const concurrency = readConcurrency;

export const movesMoney = true;

/** A payment is sent at most once per execution, whatever the input holds (in any letter case). */
export const deduplication = {
	key: (request: CaptureRequest) => paymentKey(request.paymentToken),
	mode: (request: CaptureRequest) => request.duplicateTokens,
	describe: (request: CaptureRequest, itemIndex: number, earlier: string) =>
		`Payment Token "${request.paymentToken}" in item ${itemIndex + 1} names the same payment as ${earlier}: a payment is sent to Letpay at most once per execution`,
};

export async function execute(client: LetpayClient, request: CaptureRequest): Promise<ItemOutcome> {
	const key = paymentKey(request.paymentToken);
	if (request.checkBeforeCapture) {
		const refused = sentByThisProcess(key, request) ?? (await checkBeforeCapture(client, request));
		if (refused) return refused;
		// Another execution may have sent it while the look-up ran: checked again, with no wait
		// between this check and the mark (captureChecks.ts, rules 1 and 3).
		const sentMeanwhile = sentByThisProcess(key, request);
		if (sentMeanwhile) return sentMeanwhile;
	}
	// Other captures of this payment by this process, before this one or while it is on its way or
	// looked up: a look-up's total could be theirs.
	const mark = markInFlight(key, request.cents);
	const outcome = await capture(client, request, () => marksOf(key).some((other) => other !== mark));
	settleMark(key, mark, settledAs(outcome));
	return outcome;
}

/** Captured, possibly captured, or refused by Letpay (nothing moved, or the payment was captured before). */
function settledAs(outcome: ItemOutcome): 'captured' | 'unknown' | 'refused' {
	if (outcome.ok) return (outcome.json as IDataObject).alreadyCaptured === true ? 'refused' : 'captured';
	return outcome.report.outcome === 'unknown' ? 'unknown' : 'refused';
}

async function capture(client: LetpayClient, request: CaptureRequest, sentByOthers: () => boolean): Promise<ItemOutcome> {
	const result = await client.send({
		method: 'POST',
		path: `/token/${encodeURIComponent(request.paymentToken)}/capture`,
		jsonText: `{"amount":${request.amountText}}`,
		timeoutMs: request.timeoutMs,
		maxRetries: request.maxRetries,
	});
	const answer = result.ok ? readCaptureAnswer(result.body, request.paymentToken, client.environment, result.tokens) : { captured: false as const, report: result.report };
	if (answer.captured) {
		const json: IDataObject = { success: true, paymentToken: request.paymentToken, transactionStatus: answer.transactionStatus, amount: request.amount, captureRequestedAt: DateTime.utc().toISO() };
		if (result.ok && request.includeRefreshToken && typeof result.body.refresh_token === 'string') json.refreshToken = result.body.refresh_token;
		return { ok: true, json };
	}
	const { report } = answer;
	if (report.outcome === 'unknown' && request.verificationWindowMs > 0) return await afterUncertainAnswer(client, request, report, result.attempts, sentByOthers);
	if (report.outcome === 'already_captured_or_expired') return await afterAlreadyCaptured(client, request, report, result.attempts);
	return captureFailed(request, report, { attempts: result.attempts });
}

/** Statuses that mean this capture was not made. */
const NOT_CAPTURED = new Set(['DECLINED', 'CANCELED']);
const MAX_QUOTED = 40;

/**
 * A 2xx answer (without Letpay's error envelope, which the client reads as the error it is) is
 * read by what it says, not by its status: only PROCESSING or PAID is a capture; anything else
 * leaves the outcome unknown.
 */
export function readCaptureAnswer(
	body: Record<string, unknown>,
	paymentToken: string,
	environment: string,
	/** Tokens of the account, never to be quoted in a message. */
	secrets: string[] = [],
): { captured: true; transactionStatus: string } | { captured: false; report: LetpayErrorReport } {
	const status = statusOf(body.transaction_status);
	const raw = body.transaction_status;
	// What the answer said, fit to quote: a status is a short word; anything else may be a token.
	const scrubbed = typeof raw === 'string' ? scrubSecrets(raw, secrets) : undefined;
	const said = scrubbed !== undefined && scrubbed.length > MAX_QUOTED ? `${scrubbed.slice(0, MAX_QUOTED)}...` : scrubbed;
	// `errors` in a shape Letpay does not document: neither a capture nor a refusal one can trust.
	if (body.errors !== undefined && body.errors !== null && !Array.isArray(body.errors)) return { captured: false, report: unconfirmedAnswerReport(said, environment) };
	// An answer about another payment says nothing about this one.
	const answeredFor = body.payment_token;
	if (typeof answeredFor === 'string' && paymentKey(answeredFor) !== paymentKey(paymentToken)) {
		return { captured: false, report: unconfirmedAnswerReport(`${said ?? 'no status'} for another payment token`, environment) };
	}
	// Statuses are read in any letter case (statusOf), but a claim made from this answer alone, with
	// no look-up behind it, needs Letpay's documented spelling: another spelling (`processing`,
	// `DECLINED `) is left to verification, whose look-ups settle it.
	const documented = status !== null && raw === status;
	if (documented && CAPTURED_STATUSES.has(status)) return { captured: true, transactionStatus: status };
	if (documented && NOT_CAPTURED.has(status)) return { captured: false, report: refusedInAnswerReport(status, environment) };
	return { captured: false, report: unconfirmedAnswerReport(said, environment) };
}
