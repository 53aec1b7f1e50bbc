import { sleep, type IExecuteFunctions, type IHttpRequestOptions } from 'n8n-workflow';

import { explainFailure, type LetpayErrorReport } from '../errors/explainFailure';
import { describeEnvironment, resolveEnvironment } from './environment';
import { readHttpFailure } from './httpFailure';
import { parseJsonObject } from './jsonBody';
import { resendDelay, type ResendPolicy } from './resendPolicy';

export const CREDENTIAL_TYPE = 'letpayApi';

export type LetpayResult = (
	| { ok: true; body: Record<string, unknown> }
	| { ok: false; report: LetpayErrorReport }
) & { attempts: number };

export interface LetpayRequest {
	path: string;
	jsonText: string;
	timeoutMs: number;
	resend: ResendPolicy;
}

export interface LetpayClient {
	readonly environment: string;
	post(request: LetpayRequest): Promise<LetpayResult>;
}

function credentialFailure(message: string): LetpayErrorReport {
	return {
		message,
		description: 'Nothing was sent to the capture endpoint, so nothing was captured.',
		outcome: 'not_captured',
		safeToRetry: true,
		letpay: { codes: [], errors: [] },
		resendable: false,
	};
}

/**
 * The one way this node talks to Letpay. Authentication (and the single resend after a 401)
 * is n8n's job through the credential; this turns every other outcome into data.
 */
export async function createLetpayClient(ctx: IExecuteFunctions): Promise<LetpayClient> {
	// Read (and decrypted) once per run, and handed to every request: n8n writes a renewed token
	// into this same object, so all items see it, and no request pays for reading it again.
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const stored = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
	const credentialsDecrypted = {
		id: stored?.id ?? '',
		name: stored?.name ?? '',
		type: CREDENTIAL_TYPE,
		data: credentials,
	};
	const resolved = resolveEnvironment(credentials);
	const environment = describeEnvironment(resolved);
	const baseUrl = resolved.baseUrl;

	/** One attempt; failures come back as data, never thrown. */
	async function postOnce(path: string, jsonText: string, timeoutMs: number) {
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
			raw = await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options, {
				credentialsDecrypted,
			});
		} catch (error) {
			const failure = readHttpFailure(error);
			if (failure.credentialProblem) return { ok: false as const, report: credentialFailure(failure.credentialProblem) };
			return { ok: false as const, report: explainFailure(failure, { timeoutMs, environment }) };
		}
		const body = parseJsonObject(raw);
		if (body) return { ok: true as const, body };
		return {
			ok: false as const,
			report: explainFailure(
				{ status: 200, body: raw, headers: {}, message: 'unreadable success body' },
				{ timeoutMs, environment },
			),
		};
	}

	return {
		environment,
		async post({ path, jsonText, timeoutMs, resend }) {
			for (let attempt = 1; ; attempt++) {
				const result = await postOnce(path, jsonText, timeoutMs);
				const delay = result.ok ? undefined : resendDelay(result.report, attempt, resend);
				if (delay === undefined) return { ...result, attempts: attempt };
				await sleep(delay);
			}
		},
	};
}
