import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import type { LetpayErrorDetails } from '../validation/letpayAnswer';
import type { CaptureOutcome, RetryAdvice } from './catalogue';

/*
 * What happened to an item, in one type, and the one factory of every error item. Operations
 * return outcomes as data; only the router fails the node.
 */

/** Everything a builder (and the error output) needs to know about one failed item. */
export interface LetpayErrorReport {
	message: string;
	description: string;
	httpCode?: string;
	/** What happened to the money. */
	outcome: CaptureOutcome;
	/** What the builder should do with the item. */
	retryAdvice: RetryAdvice;
	letpay: LetpayErrorDetails;
	retryAfterSeconds?: number;
	/** Set on an item that was not sent because an earlier item has its payment. */
	duplicateOfItem?: number;
}

/** What an error item says besides the report: how often it was sent, for which payment, what a look-up showed. */
export interface ItemFacts extends IDataObject {
	attempts?: number;
	paymentToken?: string;
	amount?: number;
}

/** What an operation made of one item. */
export type ItemOutcome =
	/** One output item, or (Get Many) any number of them, all paired with the input item. */
	| { ok: true; json: IDataObject | IDataObject[] }
	| { ok: false; report: LetpayErrorReport; facts: ItemFacts };

const NOTHING_SENT = 'Nothing was sent to Letpay for this item, so nothing was captured.';

export const NOT_SENT_MESSAGE = 'Letpay took longer than the timeout to sign in, so nothing was sent for this item';

type ReportFields = Pick<LetpayErrorReport, 'message' | 'description' | 'outcome' | 'retryAdvice'> & Partial<LetpayErrorReport>;

/** A report of the node's own (no Letpay codes in it unless given). */
export function report(fields: ReportFields): LetpayErrorReport {
	return { letpay: { codes: [], errors: [] }, ...fields };
}

/** Nothing went out for this item: a credential problem, a sign-in past the deadline, bad input. */
export function notSentReport(message: string, retryAdvice: RetryAdvice, description = NOTHING_SENT): LetpayErrorReport {
	return report({ message, description, outcome: 'not_captured', retryAdvice });
}

/** An item the node refused before sending anything (bad amount, bad token). */
export function invalidInputReport(message: string, description: string): LetpayErrorReport {
	return notSentReport(message, 'after_fixing_input', description);
}

/** An item whose payment an earlier item of this execution already has: never sent. */
export function duplicateReport(message: string, duplicateOfItem: number): LetpayErrorReport {
	return report({
		message,
		description: `Nothing was sent to Letpay for this item. What happened to the payment is in the result of item ${duplicateOfItem + 1}.`,
		outcome: 'handled_by_earlier_item',
		retryAdvice: 'never',
		duplicateOfItem,
	});
}

/**
 * Handling the item threw: a defect of this node, or an answer it could not read. A capture may
 * have gone out before it, so its outcome is unknown; a look-up moved no money either way. The
 * error's own text is left out (it could quote an answer); its kind is named.
 */
export function unexpectedFailureReport(error: unknown, movesMoney: boolean): LetpayErrorReport {
	const kind = error instanceof Error ? error.name : typeof error;
	return report({
		message: movesMoney
			? `The node failed while handling this item (${kind}), so whether the capture happened is unknown`
			: `The node failed while handling this item (${kind}); a look-up changes nothing in Letpay`,
		description: `This is a defect of the Letpay node: please report it. ${movesMoney ? "Check the payment's status in Letpay before trying again." : 'Running the item again is safe.'}`,
		outcome: movesMoney ? 'unknown' : 'no_money_moved',
		retryAdvice: movesMoney ? 'check_status_first' : 'later',
	});
}

/** Letpay answered 2xx, and its answer says the capture did not happen (DECLINED, CANCELED). */
export function refusedInAnswerReport(transactionStatus: string, environment: string): LetpayErrorReport {
	return report({
		message: `Letpay answered that the capture was not made (transaction status ${transactionStatus})`,
		description: `Nothing was captured, and sending it again will not change that. (HTTP 200, ${environment}).`,
		httpCode: '200',
		outcome: 'not_captured',
		retryAdvice: 'never',
	});
}

/** Letpay answered 2xx with a body that neither confirms nor refuses the capture. */
export function unconfirmedAnswerReport(transactionStatus: unknown, environment: string): LetpayErrorReport {
	const seen = typeof transactionStatus === 'string' ? `transaction status ${transactionStatus}` : 'no transaction status';
	return report({
		message: `Letpay's answer does not confirm the capture (${seen}), so its outcome is unknown`,
		description: `The capture may or may not have happened: check the payment's status in Letpay before trying again. (HTTP 200, ${environment}).`,
		httpCode: '200',
		outcome: 'unknown',
		retryAdvice: 'check_status_first',
	});
}

/** Why a look-up failed, in a builder's words: the report's status and codes, not its capture wording. */
function lookupProblem(failed: LetpayErrorReport): string {
	const codes = failed.letpay.codes;
	if (codes.some((code) => ['00.01.0013', '00.01.0038', '01.04.0012'].includes(code))) return 'Letpay has no payment by that name';
	if (failed.httpCode === '401' && failed.retryAdvice === 'later') return 'Letpay kept refusing the access token, handing newer ones to other requests';
	if (failed.httpCode === '401' || failed.httpCode === '403') return 'Letpay did not accept the credentials';
	if (failed.httpCode === '404') return 'Letpay answered "not found": check the base URL of the credential';
	if (failed.httpCode === '429') return 'Letpay is limiting the request rate';
	if (failed.httpCode === undefined) return failed.retryAdvice === 'check_status_first' ? 'Letpay did not answer in time, or the connection broke' : 'Letpay could not be reached';
	if (failed.retryAdvice === 'check_status_first') return `Letpay's answer could not be used (HTTP ${failed.httpCode})`;
	return `Letpay refused the look-up (HTTP ${failed.httpCode}${codes.length ? `, code ${codes.join(', ')}` : ''})`;
}

/**
 * A look-up that failed. Letpay's own texts and codes stay; the headline and the advice are a
 * look-up's: nothing was captured or could have been.
 */
export function lookupFailedReport(failed: LetpayErrorReport, what: string): LetpayErrorReport {
	const passing = failed.retryAdvice === 'check_status_first' || failed.retryAdvice === 'later';
	const letpaySaid = failed.letpay.errors.map((error) => error.description).filter((text) => text !== '');
	return {
		...failed,
		message: `Letpay could not look up ${what}: ${lookupProblem(failed)}`,
		description: [...letpaySaid, `(${failed.httpCode ? `HTTP ${failed.httpCode}` : 'no answer'}). A look-up changes nothing in Letpay.`].join(' '),
		outcome: 'no_money_moved',
		retryAdvice: passing ? 'later' : failed.retryAdvice,
	};
}

/**
 * The one factory of error items: what `json.error` holds on the error output, plain data a
 * builder can branch on. `outcome` answers "what happened to the money", `retryAdvice` "what do I
 * do now"; both come from the catalogue.
 */
export function errorItemJson(failed: LetpayErrorReport, facts: ItemFacts = {}): IDataObject {
	return {
		message: failed.message,
		description: failed.description,
		httpCode: failed.httpCode ?? null,
		outcome: failed.outcome,
		retryAdvice: failed.retryAdvice,
		letpayCodes: failed.letpay.codes,
		letpay: failed.letpay as unknown as IDataObject,
		...(failed.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: failed.retryAfterSeconds }),
		...(failed.duplicateOfItem === undefined ? {} : { duplicateOfItem: failed.duplicateOfItem }),
		...facts,
	};
}

/**
 * The error that stops a workflow, built from the report alone, never from the HTTP client's
 * error: that one holds the request (with the access token header) and Letpay's body (with
 * `refresh_token`).
 */
export function toNodeApiError(node: INode, failed: LetpayErrorReport, itemIndex: number, description = failed.description) {
	const errorResponse: JsonObject = {
		outcome: failed.outcome,
		retryAdvice: failed.retryAdvice,
		letpay: { ...failed.letpay } as unknown as JsonObject,
	};
	const error = new NodeApiError(node, errorResponse, { message: failed.message, description, httpCode: failed.httpCode, itemIndex });
	// NodeApiError swaps any message that mentions a socket code (ECONNRESET...) for a generic
	// sentence; the catalogue's message is more precise, so it is restored.
	error.message = failed.message;
	return error;
}
