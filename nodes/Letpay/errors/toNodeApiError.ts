import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import type { LetpayErrorReport } from './explainFailure';

/**
 * The NodeApiError is built from the report alone, never from the HTTP client's error: that one
 * holds the request (with the access token header) and Letpay's body (with `refresh_token`).
 */
export function toNodeApiError(node: INode, report: LetpayErrorReport, itemIndex: number) {
	const errorResponse: JsonObject = {
		outcome: report.outcome,
		safeToRetry: report.safeToRetry,
		letpay: { ...report.letpay } as unknown as JsonObject,
	};
	const error = new NodeApiError(node, errorResponse, {
		message: report.message,
		description: report.description,
		httpCode: report.httpCode,
		itemIndex,
	});
	// NodeApiError swaps any message that mentions a socket code (ECONNRESET...) for a generic
	// sentence; the catalogue's message is more precise, so it is restored.
	error.message = report.message;
	return error;
}

/** What the error output item's `json.error` holds: plain data a builder can branch on. */
export function errorJson(report: LetpayErrorReport): JsonObject {
	return {
		message: report.message,
		description: report.description,
		httpCode: report.httpCode ?? null,
		outcome: report.outcome,
		safeToRetry: report.safeToRetry,
		letpayCodes: report.letpay.codes,
		letpay: report.letpay as unknown as JsonObject,
		...(report.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: report.retryAfterSeconds }),
	};
}
