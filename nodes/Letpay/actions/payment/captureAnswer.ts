import { explainFailure, type FailureContext, type LetpayErrorReport } from '../../errors/explainFailure';
import { refusedInAnswerReport, unconfirmedAnswerReport } from '../../errors/reports';

/** Letpay's transaction statuses that mean the capture was taken: accepted, or already paid. */
const CAPTURED = new Set(['PROCESSING', 'PAID']);
/** Statuses that mean this capture was not made. */
const NOT_CAPTURED = new Set(['DECLINED', 'CANCELED']);

export type CaptureAnswer = { captured: true; transactionStatus: string } | { captured: false; report: LetpayErrorReport };

/**
 * A 2xx answer is read by what it says, not by its status: only PROCESSING or PAID is a capture;
 * a 200 carrying Letpay's error envelope is that error; anything else is an unknown outcome.
 */
export function readCaptureAnswer(
	status: number,
	body: Record<string, unknown>,
	paymentToken: string,
	context: FailureContext,
): CaptureAnswer {
	const transactionStatus = body.transaction_status;
	const errors = body.errors;
	if (Array.isArray(errors) && errors.length > 0) {
		return { captured: false, report: explainFailure({ status, body, headers: {}, message: 'error envelope in a 2xx answer' }, context) };
	}
	// `errors` in a shape Letpay does not document: neither a capture nor a refusal one can trust.
	if (errors !== undefined && errors !== null && !Array.isArray(errors)) {
		return { captured: false, report: unconfirmedAnswerReport(transactionStatus, context.environment) };
	}
	// An answer about another payment says nothing about this one.
	const answeredFor = body.payment_token;
	if (typeof answeredFor === 'string' && answeredFor.toLowerCase() !== paymentToken.toLowerCase()) {
		return { captured: false, report: unconfirmedAnswerReport(`${String(transactionStatus)} for another payment token`, context.environment) };
	}
	if (typeof transactionStatus === 'string' && CAPTURED.has(transactionStatus)) return { captured: true, transactionStatus };
	if (typeof transactionStatus === 'string' && NOT_CAPTURED.has(transactionStatus)) {
		return { captured: false, report: refusedInAnswerReport(transactionStatus, context.environment) };
	}
	return { captured: false, report: unconfirmedAnswerReport(transactionStatus, context.environment) };
}
