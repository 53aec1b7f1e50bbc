import type { ServerResponse } from 'node:http';

/** Letpay writes timestamps as `2024-01-16T19:57:10.751+0000`: UTC, offset without a colon. */
export function letpayTimestamp(ms: number): string {
	return new Date(ms).toISOString().replace('Z', '+0000');
}

const REASONS: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	404: 'Not Found',
	415: 'Unsupported Media Type',
	422: 'Unprocessable Entity',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
};

export function reason(status: number): string {
	return REASONS[status] ?? 'Error';
}

/** Key order as in Letpay's examples: timestamp, status, error, message, path, errors, refresh_token. */
export function errorEnvelope(
	now: number,
	status: number,
	path: string,
	message: string,
	code?: string,
	refreshToken?: string,
) {
	return {
		timestamp: letpayTimestamp(now),
		status,
		error: reason(status),
		message,
		path,
		...(code === undefined ? {} : { errors: [{ code, description: message }] }),
		...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
	};
}

export function sendJson(
	response: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
) {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text),
		...headers,
	});
	response.end(text);
}

export function sendRaw(response: ServerResponse, status: number, contentType: string, text: string) {
	response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
	response.end(text);
}

export const HTML_ERROR_PAGE = (status: number) =>
	`<html><head><title>${status} ${reason(status)}</title></head><body><center><h1>${status} ${reason(status)}</h1></center><hr><center>nginx</center></body></html>`;
