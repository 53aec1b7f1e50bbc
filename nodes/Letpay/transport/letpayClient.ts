import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { explainFailure, type LetpayErrorReport } from '../errors/explainFailure';
import { describeEnvironment, resolveEnvironment } from './environment';
import { readHttpFailure } from './httpFailure';
import { parseJsonObject } from './jsonBody';

export const CREDENTIAL_TYPE = 'letpayApi';

export type LetpayResult =
	| { ok: true; body: Record<string, unknown> }
	| { ok: false; report: LetpayErrorReport };

export interface LetpayClient {
	readonly environment: string;
	postJson(path: string, jsonText: string, timeoutMs: number): Promise<LetpayResult>;
}

function credentialFailure(message: string): LetpayErrorReport {
	return {
		message,
		description: 'Nothing was sent to the capture endpoint, so nothing was captured.',
		outcome: 'not_captured',
		safeToRetry: true,
		letpay: { codes: [], errors: [] },
	};
}

/**
 * The one way this node talks to Letpay. Authentication (and the single resend after a 401)
 * is n8n's job through the credential; this turns every other outcome into data.
 */
export async function createLetpayClient(ctx: IExecuteFunctions): Promise<LetpayClient> {
	const resolved = resolveEnvironment(await ctx.getCredentials(CREDENTIAL_TYPE));
	const environment = describeEnvironment(resolved);
	const baseUrl = resolved.baseUrl;

	return {
		environment,
		async postJson(path, jsonText, timeoutMs) {
			const options: IHttpRequestOptions = {
				method: 'POST',
				url: `${baseUrl}${path}`,
				headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
				// Sent as written: the amount's digits must reach Letpay exactly.
				body: jsonText,
				timeout: timeoutMs,
			};
			let raw: unknown;
			try {
				raw = await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options);
			} catch (error) {
				const failure = readHttpFailure(error);
				if (failure.credentialProblem) return { ok: false, report: credentialFailure(failure.credentialProblem) };
				return { ok: false, report: explainFailure(failure, { timeoutMs, environment }) };
			}
			const body = parseJsonObject(raw);
			if (body) return { ok: true, body };
			return {
				ok: false,
				report: explainFailure(
					{ status: 200, body: raw, headers: {}, message: 'unreadable success body' },
					{ timeoutMs, environment },
				),
			};
		},
	};
}
