/**
 * What an HTTP attempt that did not succeed tells us, read from whatever n8n's request helpers
 * threw. n8n 2.x wraps the HTTP client's error as `cause`; n8n 1.x drops an Error `cause` and
 * keeps only `httpCode` (the status, or the socket code such as ECONNREFUSED) and `context.data`
 * (a JSON body). Both shapes are read here, so nothing else depends on the version.
 */
export interface HttpFailure {
	status?: number;
	body?: unknown;
	headers: Record<string, string>;
	/** Socket or client error code such as ECONNREFUSED, ECONNRESET or ECONNABORTED. */
	code?: string;
	message: string;
	/** Set when the credential's preAuthentication refused to produce a token: its own message. */
	credentialProblem?: string;
	/** The credential error's code, e.g. LETPAY_NOT_SENT. */
	credentialErrorCode?: string;
}

/** `errorCode` of the credential's own errors; n8n copies it into `httpCode` when it wraps them. */
export const CREDENTIAL_ERROR_PREFIX = 'LETPAY_';

interface ErrorLike {
	message?: unknown;
	code?: unknown;
	errorCode?: unknown;
	httpCode?: unknown;
	cause?: unknown;
	context?: { data?: unknown };
	response?: { status?: unknown; data?: unknown; headers?: unknown };
}

const MAX_DEPTH = 5;
const SOCKET_CODE = /^E[A-Z_]+$/;
const HTTP_STATUS = /^\d{3}$/;

function errorChain(error: unknown): ErrorLike[] {
	const chain: ErrorLike[] = [];
	let current: unknown = error;
	while (current && typeof current === 'object' && chain.length < MAX_DEPTH) {
		chain.push(current as ErrorLike);
		current = (current as ErrorLike).cause;
	}
	return chain;
}

function normaliseHeaders(headers: unknown): Record<string, string> {
	if (!headers || typeof headers !== 'object') return {};
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
		if (typeof value === 'string' || typeof value === 'number') result[name.toLowerCase()] = String(value);
	}
	return result;
}

function firstString(chain: ErrorLike[], pick: (link: ErrorLike) => unknown, pattern: RegExp) {
	for (const link of chain) {
		const value = pick(link);
		if (typeof value === 'string' && pattern.test(value)) return { value, link };
	}
	return undefined;
}

export function readHttpFailure(error: unknown): HttpFailure {
	const chain = errorChain(error);
	const deepest = chain[chain.length - 1];
	const message = typeof deepest?.message === 'string' ? deepest.message : String(error);

	const ownError = chain.find((link) =>
		[link.errorCode, link.httpCode].some((code) => typeof code === 'string' && code.startsWith(CREDENTIAL_ERROR_PREFIX)),
	);
	if (ownError) {
		const code = [ownError.errorCode, ownError.httpCode].find((candidate) => typeof candidate === 'string' && candidate.startsWith(CREDENTIAL_ERROR_PREFIX));
		return { headers: {}, message, credentialProblem: String(ownError.message), credentialErrorCode: String(code) };
	}

	const withResponse = chain.find((link) => typeof link.response?.status === 'number');
	const statusCode = firstString(chain, (link) => link.httpCode, HTTP_STATUS);
	const socketCode =
		firstString(chain, (link) => link.code, SOCKET_CODE) ?? firstString(chain, (link) => link.httpCode, SOCKET_CODE);
	const status = (withResponse?.response?.status as number | undefined) ?? (statusCode ? Number(statusCode.value) : undefined);
	return {
		status,
		body: withResponse ? withResponse.response?.data : chain.find((link) => link.context?.data !== undefined)?.context?.data,
		headers: normaliseHeaders(withResponse?.response?.headers),
		code: status === undefined ? socketCode?.value : undefined,
		message,
	};
}
