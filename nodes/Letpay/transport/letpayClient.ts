import { sleep, type ICredentialDataDecryptedObject, type IHttpRequestMethods } from 'n8n-workflow';

import { certainlyNotProcessed, explainFailure } from '../errors/explainFailure';
import { NOT_SENT_MESSAGE, notSentReport, type LetpayErrorReport } from '../errors/report';
import { lowerCaseHeaders, parseJsonObject, readHttpFailure } from '../validation/letpayAnswer';
import { abandonUnsent, PAST_DEADLINE, withDeadline, type SendGate } from './deadline';
import { MAX_TOKEN_RESENDS, TokenSession, type Exchange, type LetpayContext } from './tokenSession';

export { CREDENTIAL_TYPE, type LetpayContext } from './tokenSession';

/*
 * The one way this node talks to Letpay: send once with a deadline, classify the answer once,
 * decide whether to send again. Every answer is read here, whatever its status, so that the node,
 * not n8n's request helper, decides what may be sent again: redirects are never followed, and a
 * 401 is resent (tokenSession.ts) only when its body carries no code at all.
 */

export interface LetpayRequest {
	method: IHttpRequestMethods;
	path: string;
	/** Sent as written: the amount's digits must reach Letpay exactly. */
	jsonText?: string;
	timeoutMs: number;
	/** Resends allowed after a failure (see resendDelay): the item's Max Retries. */
	maxRetries: number;
}

export type LetpayResult = (
	/** `tokens`: every access token of the account this process knows (the one sent among them), never to be repeated in an output. */
	| { ok: true; status: number; body: Record<string, unknown>; tokens: string[] }
	| { ok: false; report: LetpayErrorReport }
) & { attempts: number };

export interface LetpayClient {
	readonly environment: string;
	/** Which account (base URL, key, secret) the requests go out for: a hash, no secret in it. */
	readonly account: string;
	send(request: LetpayRequest): Promise<LetpayResult>;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export const TOKEN_REFUSED_MESSAGES = {
	timeout: "Letpay refused the access token, and the item's timeout passed before a newer one could be used (Letpay had handed newer tokens to other requests)",
	resendsUsedUp: `Letpay refused the access token ${MAX_TOKEN_RESENDS + 1} times in a row, handing newer ones to other requests each time, so the node stopped resending`,
} as const;

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

export async function createLetpayClient(ctx: LetpayContext): Promise<LetpayClient> {
	const session = await TokenSession.open(ctx);
	return {
		environment: session.environment,
		account: session.account,
		async send(request) {
			const exchangeWithToken = session.forRequest(request.timeoutMs);
			// Every request that went out counts as an attempt, those resent with a newer token too.
			let attempts = 0;
			for (let resends = 1; ; resends++) {
				const { exchange, sends, refusedLate } = await exchangeWithToken(async (data, gate) => await sendOnce(session, request, data, gate));
				attempts += sends;
				const result = classify(session, exchange, request.timeoutMs, refusedLate);
				if (result.ok) return { ...result, attempts };
				const delay = resendDelay(exchange, result.report, request, resends);
				if (delay === undefined) return { ...result, attempts };
				await sleep(delay);
			}
		},
	};
}

async function sendOnce(session: TokenSession, request: LetpayRequest, data: ICredentialDataDecryptedObject, gate: SendGate): Promise<Exchange> {
	const call = session
		.request(
			{
				method: request.method,
				url: `${session.baseUrl}${request.path}`,
				headers: { Accept: 'application/json', ...(request.jsonText === undefined ? {} : { 'Content-Type': 'application/json' }) },
				...(request.jsonText === undefined ? {} : { body: request.jsonText }),
				timeout: request.timeoutMs,
				disableFollowRedirect: true,
				ignoreHttpStatusErrors: true,
				returnFullResponse: true,
			},
			data,
		)
		.then(
			(response) => ({ response: response as FullResponse }),
			(error: unknown) => ({ error }),
		);
	const settled = await withDeadline(call, request.timeoutMs);
	// n8n writes the token it signed in for into `data` before sending.
	const sentToken = String(data.accessToken ?? '');
	if (settled === PAST_DEADLINE) {
		// Still signing in: the request has not gone out, and the gate keeps it from ever going.
		if (abandonUnsent(gate)) return { notSent: true, sentToken };
		return { failure: { code: 'ETIMEDOUT', message: 'deadline passed', headers: {} }, sentToken };
	}
	if ('error' in settled) return { failure: readHttpFailure(settled.error), sentToken };
	const { statusCode, headers, body } = settled.response;
	return { answer: { status: statusCode, headers: lowerCaseHeaders(headers), body, message: `HTTP ${statusCode}` }, sentToken };
}

/**
 * What an exchange means, decided once: a 2xx JSON answer is data for the operation, unless it
 * carries Letpay's error envelope (a non-empty `errors` list), which is read as that error.
 */
function classify(session: TokenSession, exchange: Exchange, timeoutMs: number, refusedLate?: keyof typeof TOKEN_REFUSED_MESSAGES) {
	const failed = (report: LetpayErrorReport) => ({ ok: false as const, report });
	if ('notSent' in exchange) return failed(notSentReport(NOT_SENT_MESSAGE, 'later'));
	// Letpay's texts are shown to the builder: no access token of the account, nor its key or
	// secret, may be among them.
	const secrets = session.secrets(exchange.sentToken);
	const context = { timeoutMs, environment: session.environment, secrets };
	if ('failure' in exchange) {
		const { credentialProblem, credentialErrorCode } = exchange.failure;
		if (credentialProblem) return failed(notSentReport(credentialProblem, credentialErrorCode === 'LETPAY_CREDENTIALS_REJECTED' ? 'after_fixing_input' : 'later'));
		return failed(explainFailure(exchange.failure, context));
	}
	const { status, body } = exchange.answer;
	const json = parseJsonObject(body);
	const envelope = Array.isArray(json?.errors) && json.errors.length > 0;
	if (status >= 200 && status < 300 && json && !envelope) return { ok: true as const, status, body: json, tokens: secrets };
	const report = explainFailure(exchange.answer, context);
	// A plain 401 when the item's time or its token resends ran out: the credentials are fine.
	return failed(refusedLate ? { ...report, message: TOKEN_REFUSED_MESSAGES[refusedLate], retryAdvice: 'later' } : report);
}

/**
 * Whether to send a request again after a failure, and after how long (undefined: never). The
 * first rule that applies decides, as in stripe-node's `_shouldRetry`:
 * 1. the item's Max Retries are used up: never;
 * 2. Letpay certainly did not act on it (no connection, a 429 whose codes all say so): resend;
 * 3. it changes nothing (a GET, a look-up) and the cause may pass (5xx, no answer): resend;
 * 4. anything else: never. Letpay has no idempotency key: a capture that may have reached it is
 *    never sent again.
 * The wait: Letpay's Retry-After, else an exponential backoff with jitter.
 */
export function resendDelay(exchange: Exchange, report: LetpayErrorReport, request: LetpayRequest, resend: number): number | undefined {
	if (resend > request.maxRetries) return undefined;
	const notProcessed = !('notSent' in exchange) && certainlyNotProcessed('answer' in exchange ? exchange.answer : exchange.failure);
	const changesNothing = request.method === 'GET' && (report.retryAdvice === 'later' || report.retryAdvice === 'check_status_first');
	if (!notProcessed && !changesNothing) return undefined;
	if (report.retryAfterSeconds !== undefined) return Math.min(report.retryAfterSeconds * 1000, MAX_DELAY_MS);
	// Jitter spreads the resends of many items that failed together.
	return Math.min(BASE_DELAY_MS * 2 ** (resend - 1) * (0.5 + Math.random() / 2), MAX_DELAY_MS);
}
