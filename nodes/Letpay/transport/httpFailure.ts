/**
 * What an HTTP attempt that did not succeed tells us, read from whatever n8n's request helpers
 * threw. n8n 1.x and 2.x wrap the HTTP client's error differently (sometimes once, sometimes
 * twice, as `cause`), so the chain is walked instead of trusting one shape.
 */
export interface HttpFailure {
	status?: number;
	body?: unknown;
	headers: Record<string, string>;
	/** Socket or client error code such as ECONNREFUSED, ECONNRESET or ECONNABORTED. */
	code?: string;
	message: string;
	/** The first error of our own in the chain (thrown by the credential's preAuthentication). */
	origin?: Error;
}

interface ErrorLike {
	message?: unknown;
	code?: unknown;
	cause?: unknown;
	response?: { status?: unknown; data?: unknown; headers?: unknown };
}

const MAX_DEPTH = 5;

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
		if (typeof value === 'string' || typeof value === 'number') {
			result[name.toLowerCase()] = String(value);
		}
	}
	return result;
}

export function readHttpFailure(
	error: unknown,
	isOwnError: (candidate: unknown) => candidate is Error = (_c): _c is Error => false,
): HttpFailure {
	const chain = errorChain(error);
	const withResponse = chain.find((link) => typeof link.response?.status === 'number');
	const withCode = chain.find(
		(link) => typeof link.code === 'string' && /^E[A-Z_]+$/.test(link.code as string),
	);
	const deepest = chain[chain.length - 1];
	return {
		status: withResponse?.response?.status as number | undefined,
		body: withResponse?.response?.data,
		headers: normaliseHeaders(withResponse?.response?.headers),
		code: withCode?.code as string | undefined,
		message: typeof deepest?.message === 'string' ? deepest.message : String(error),
		origin: chain.find(isOwnError) as Error | undefined,
	};
}
