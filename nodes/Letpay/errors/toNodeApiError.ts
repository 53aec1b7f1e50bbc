import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import type { LetpayErrorReport } from './explainFailure';

/** What an error item says besides the report: how often it was sent, and for which payment. */
export interface ItemFacts extends IDataObject {
	attempts?: number;
	paymentToken?: string;
	amount?: number;
}

/**
 * The one factory of error items: what `json.error` holds on the error output, plain data a
 * builder can branch on. `outcome` answers "what happened to the money", `retryAdvice` "what do I
 * do now"; both come from the catalogue.
 */
export function errorItemJson(report: LetpayErrorReport, facts: ItemFacts = {}): IDataObject {
	return {
		message: report.message,
		description: report.description,
		httpCode: report.httpCode ?? null,
		outcome: report.outcome,
		retryAdvice: report.retryAdvice,
		letpayCodes: report.letpay.codes,
		letpay: report.letpay as unknown as IDataObject,
		...(report.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: report.retryAfterSeconds }),
		...(report.duplicateOfItem === undefined ? {} : { duplicateOfItem: report.duplicateOfItem }),
		...facts,
	};
}

/**
 * The NodeApiError is built from the report alone, never from the HTTP client's error: that one
 * holds the request (with the access token header) and Letpay's body (with `refresh_token`).
 */
export function toNodeApiError(node: INode, report: LetpayErrorReport, itemIndex: number, description = report.description) {
	const errorResponse: JsonObject = {
		outcome: report.outcome,
		retryAdvice: report.retryAdvice,
		letpay: { ...report.letpay } as unknown as JsonObject,
	};
	const error = new NodeApiError(node, errorResponse, {
		message: report.message,
		description,
		httpCode: report.httpCode,
		itemIndex,
	});
	// NodeApiError swaps any message that mentions a socket code (ECONNRESET...) for a generic
	// sentence; the catalogue's message is more precise, so it is restored.
	error.message = report.message;
	return error;
}
