import { extractLetpayDetails, parseJsonObject, redactUrl, scrubSecrets, type HttpFailure, type LetpayErrorDetails } from '../validation/letpayAnswer';
import {
	CHECK_STATUS,
	entryForCode,
	entryForStatus,
	type CaptureOutcome,
	type CatalogueEntry,
} from './catalogue';
import type { LetpayErrorReport } from './report';

export interface FailureContext {
	timeoutMs: number;
	/** e.g. "Sandbox environment, https://api-sandbox.letpay.io" */
	environment: string;
	/** Values never to repeat from Letpay's texts (the access token the request carried). */
	secrets?: string[];
}

/**
 * Codes that only a connection attempt gives: the request never went out. EHOSTUNREACH and
 * ENETUNREACH are not among them: a route can fail under an established connection too (and
 * n8n 1.x drops the `syscall` that would tell them apart), so they leave the outcome unknown.
 */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'ERR_INVALID_URL']);
const TIMED_OUT = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_CANCELED']);

function report(
	entry: CatalogueEntry,
	details: string[],
	letpay: LetpayErrorDetails,
	status?: number,
): LetpayErrorReport {
	return {
		message: entry.message,
		description: [...details.filter((part) => part !== ''), entry.hint].join(' '),
		httpCode: status === undefined ? undefined : String(status),
		outcome: entry.outcome,
		retryAdvice: entry.retryAdvice,
		letpay,
	};
}

function explainNetworkFailure(failure: HttpFailure, context: FailureContext): LetpayErrorReport {
	const noDetails = extractLetpayDetails(undefined);
	const code = failure.code ?? '';
	if (NOT_CONNECTED.has(code)) {
		const unreachable = report(
			{
				message: `Could not connect to Letpay (${context.environment})`,
				outcome: 'not_captured',
				retryAdvice: code === 'ERR_INVALID_URL' ? 'after_fixing_input' : 'later',
				hint: 'Nothing was captured: the request never reached Letpay. Check the base URL and the network.',
			},
			[`Connection error ${code}.`],
			noDetails,
		);
		return unreachable;
	}
	if (TIMED_OUT.has(code) || /timeout/i.test(failure.message)) {
		return report(
			{
				message: `Letpay did not answer within ${seconds(context.timeoutMs)}, so the outcome of the capture is unknown`,
				outcome: 'unknown',
				retryAdvice: 'check_status_first',
				hint: CHECK_STATUS,
			},
			[],
			noDetails,
		);
	}
	return report(
		{
			message: 'The connection to Letpay broke before an answer arrived, so the outcome of the capture is unknown',
			outcome: 'unknown',
			retryAdvice: 'check_status_first',
			hint: CHECK_STATUS,
		},
		[code ? `Connection error ${code}.` : ''],
		noDetails,
	);
}

/**
 * Pure: turns what a failed request left behind into a report. Letpay's own descriptions are
 * shown as they come; the catalogue decides the headline and whether money may have moved.
 */
export function explainFailure(failure: HttpFailure, context: FailureContext): LetpayErrorReport {
	if (failure.status === undefined) return explainNetworkFailure(failure, context);

	const status = failure.status;
	const body = parseJsonObject(failure.body);
	const letpay = extractLetpayDetails(body, context.secrets);
	const byStatus = entryForStatus(status);
	const entries = letpay.codes.map(entryForCode);
	// Several codes in one answer: the most cautious one decides (one that says money may have
	// moved wins over one that says nothing happened).
	const known = mostCautious(entries.filter((candidate): candidate is CatalogueEntry => candidate !== undefined));
	let entry: CatalogueEntry = known ?? byStatus;
	// A 5xx (or a redirect) may have reached the acquirer whatever the code says: never call that a
	// clean failure. A 2xx carrying an envelope is read by its code.
	if (status >= 300 && byStatus.outcome === 'unknown' && entry.outcome !== 'unknown') {
		entry = { ...entry, outcome: 'unknown', retryAdvice: 'check_status_first', hint: CHECK_STATUS };
	}
	if (letpay.codes.length > 0 && !known) {
		entry = { ...entry, message: `Letpay returned error ${letpay.codes.join(', ')}` };
	}

	const letpaySaid = letpay.errors.length
		? letpay.errors.map((e) => e.description).filter((d) => d !== '')
		: [letpay.message ?? ''];
	const reference = `(HTTP ${status}${letpay.codes.length ? `, Letpay code ${letpay.codes.join(', ')}` : ''}, ${context.environment}).`;
	const shape = body ? '' : 'Letpay answered without a JSON body (an HTML error page or an empty answer).';
	const location = failure.headers.location;
	const redirect = status >= 300 && status < 400 ? `It pointed to ${location ? redactUrl(scrubSecrets(location, context.secrets ?? [])) : 'no location'}.` : '';
	const result = report(entry, [...letpaySaid.map(ensureStop), shape, redirect, reference], letpay, status);

	if (!certainlyNotProcessed(failure)) return result;
	const retryAfter = Number(failure.headers['retry-after']);
	return failure.headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0 ? { ...result, retryAfterSeconds: retryAfter } : result;
}

/**
 * True when Letpay certainly did not act on the request: no connection was made (but for a URL
 * that does not parse, which will never pass), or a 429 none of whose codes says, or may say, that
 * the request ran.
 */
export function certainlyNotProcessed(failure: HttpFailure): boolean {
	if (failure.status === undefined) return NOT_CONNECTED.has(failure.code ?? '') && failure.code !== 'ERR_INVALID_URL';
	if (failure.status !== 429) return false;
	return extractLetpayDetails(failure.body).codes.every((code) => entryForCode(code)?.outcome === 'not_captured');
}

const CAUTION: Record<CaptureOutcome, number> = {
	unknown: 0,
	already_captured_or_expired: 1,
	handled_by_earlier_item: 2,
	not_captured: 3,
	no_money_moved: 4,
};

function mostCautious(entries: CatalogueEntry[]): CatalogueEntry | undefined {
	return entries.reduce<CatalogueEntry | undefined>(
		(best, candidate) => (!best || CAUTION[candidate.outcome] < CAUTION[best.outcome] ? candidate : best),
		undefined,
	);
}

function seconds(ms: number): string {
	const value = Math.round(ms / 100) / 10;
	return value === 1 ? '1 second' : `${value} seconds`;
}

function ensureStop(text: string): string {
	const trimmed = text.trim();
	return trimmed === '' || /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
