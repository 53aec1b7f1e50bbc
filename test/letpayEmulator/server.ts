import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';

import { adminRoutes, ADMIN_PREFIX } from './admin';
import { decideCapture, type Decision } from './capture';
import { parseMultipartForm } from './requestBody';
import { paymentsByReference, transactionDetails } from './lookup';
import { errorEnvelope, HTML_ERROR_PAGE, sendJson, sendRaw } from './responses';
import type { LetpayState } from './state';
import { QUOTED_AUTH_TOKEN, type EmulatorOptions, type Fault, type RequestRecord } from './types';

const CAPTURE_PATH = /^\/token\/([^/]+)\/capture$/;
const DETAILS_PATH = /^\/transactionDetails\/([^/]+)$/;
const REFERENCE_PATH = /^\/payment\/reference\/([^/]+)$/;
const UPSTREAM_MESSAGE = 'There was an issue when contacting an external API, please contact support';

function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Faults after which Letpay has not applied its rules to the request. */
const NOT_REACHED = new Set<Fault['kind']>(['reset-before-read', 'rate-limit', 'unauthorized']);

/** The body with every QUOTED_AUTH_TOKEN replaced by the request's access token. */
function quoteAuthToken<T>(value: T, token: string): T {
	return JSON.parse(JSON.stringify(value).split(QUOTED_AUTH_TOKEN).join(token)) as T;
}

/** Does the answer this fault gives hand over the refresh token Letpay issued (whole, in time)? */
function carriesRefreshToken(fault: Fault, issued: string): boolean {
	if (fault.kind === 'bad-gateway' || fault.kind === 'letpay-error' || fault.kind === 'rate-limit') return true;
	// Top level only: a fault's body may be nested thousands of levels deep.
	return fault.kind === 'answer' && typeof fault.body === 'object' && fault.body !== null && (fault.body as Record<string, unknown>).refresh_token === issued;
}

/** Does this fault let the capture go through before the answer goes wrong? */
function capturesFirst(fault: Fault): boolean {
	// A trickled answer is Letpay's real answer, slowly: the capture happened.
	return fault.kind === 'reset-after-capture' || fault.kind === 'trickle' || ('captured' in fault && fault.captured === true);
}

/** Writes `text` one byte per `intervalMs` (then, if `endless`, white space for ever). */
function trickle(response: ServerResponse, status: number, text: string, intervalMs: number, endless: boolean) {
	response.writeHead(status, { 'Content-Type': 'application/json' });
	let sent = 0;
	const timer = setInterval(() => {
		if (response.destroyed) return clearInterval(timer);
		if (sent < text.length) return void response.write(text[sent++]);
		if (endless) return void response.write(' ');
		clearInterval(timer);
		response.end();
	}, intervalMs);
	response.once('close', () => clearInterval(timer));
}

export function createLetpayServer(state: LetpayState, tls?: EmulatorOptions['tls']) {
	const sockets = new Set<Socket>();

	function log(request: IncomingMessage, path: string, status: RequestRecord['status'], body: string, reached = status !== 401, captured = false, lostToken?: string) {
		const header = (name: string) => (typeof request.headers[name] === 'string' ? (request.headers[name] as string) : undefined);
		state.requests.push({ method: request.method ?? '', path, status, authToken: header('x-auth-token'), body, execution: header('x-test-execution'), process: header('x-test-process'), reached, captured, at: Date.now(), ...(lostToken === undefined ? {} : { lostToken }) });
		if (state.requests.length === state.options.expireTokensAfterRequests) state.expireAccessTokens();
	}

	/** Answers as the fault says; returns the status it logged. */
	function answerWithFault(
		fault: Fault,
		response: ServerResponse,
		path: string,
		decision: Decision & { refreshToken?: string },
	): RequestRecord['status'] {
		const { refreshToken } = decision;
		const quoted = String(response.req.headers['x-auth-token'] ?? '');
		const envelope = (status: number, code: string | undefined, message: string) =>
			errorEnvelope(state.now(), status, path, quoteAuthToken(message, quoted), code, refreshToken);
		switch (fault.kind) {
			case 'bad-gateway':
				sendJson(response, 502, envelope(502, '00.03.0001', UPSTREAM_MESSAGE));
				return 502;
			case 'letpay-error':
				sendJson(response, fault.status, envelope(fault.status, fault.code, fault.message));
				return fault.status;
			case 'rate-limit':
				sendJson(response, 429, envelope(429, undefined, 'Too many requests'), {
					'Retry-After': String(fault.retryAfterSeconds),
				});
				return 429;
			case 'html':
				sendRaw(response, fault.status, 'text/html', HTML_ERROR_PAGE(fault.status));
				return fault.status;
			case 'empty':
				sendRaw(response, fault.status, 'application/json', '');
				return fault.status;
			case 'invalid-json':
				sendRaw(response, fault.status, 'application/json', '{"timestamp": "2024-01-16T19:57');
				return fault.status;
			case 'answer':
				if (typeof fault.body === 'string') sendRaw(response, fault.status, 'application/json', fault.body.split(QUOTED_AUTH_TOKEN).join(quoted));
				else sendJson(response, fault.status, quoteAuthToken(fault.body, quoted));
				return fault.status;
			case 'unauthorized':
				sendJson(response, 401, errorEnvelope(state.now(), 401, path, 'Access Denied'));
				return 401;
			case 'redirect':
				response.writeHead(fault.status, { Location: fault.location.split(QUOTED_AUTH_TOKEN).join(quoted), 'Content-Length': 0 });
				response.end();
				return fault.status;
			case 'trickle':
				trickle(response, decision.status, JSON.stringify(decision.body), fault.intervalMs, fault.endless === true);
				return decision.status;
			case 'hang':
				return 'hang';
			default:
				response.socket?.destroy();
				return 'reset';
		}
	}

	async function handleLetpay(
		request: IncomingMessage,
		response: ServerResponse,
		path: string,
		queue: Fault[],
		decide: (body: string) => Decision & { refreshToken?: string },
	) {
		const fault = queue.shift();
		if (fault) state.faultsServed++;
		if (fault?.kind === 'reset-before-read') {
			log(request, path, 'reset', '', false);
			request.socket.destroy();
			return;
		}
		const body = await readBody(request);
		if (fault?.kind === 'unauthorized') {
			// Letpay refused the token: it decided nothing, and issued no new token.
			log(request, path, answerWithFault(fault, response, path, { status: 401, body: {} }), body, false);
			return;
		}
		if (fault?.kind === 'latency') await sleep(fault.ms);
		const decision = decide(body);
		if (!fault || fault.kind === 'latency') {
			if (decision.capture) state.acceptCapture(decision.capture.paymentToken, decision.capture.amountCents);
			// The caller gave up waiting (its timeout, during the latency): the answer reaches nobody.
			const gone = response.destroyed || request.socket.destroyed;
			const lost = gone && decision.refreshToken !== undefined && decision.refreshToken !== request.headers['x-auth-token'] ? decision.refreshToken : undefined;
			log(request, path, decision.status, body, true, decision.capture !== undefined, lost);
			sendJson(response, decision.status, decision.body);
			return;
		}
		const captured = decision.capture !== undefined && capturesFirst(fault);
		if (captured) state.acceptCapture(decision.capture!.paymentToken, decision.capture!.amountCents);
		const issued = decision.refreshToken;
		const lost = issued !== undefined && issued !== request.headers['x-auth-token'] && !carriesRefreshToken(fault, issued) ? issued : undefined;
		log(request, path, answerWithFault(fault, response, path, decision), body, !NOT_REACHED.has(fault.kind), captured, lost);
	}

	async function route(request: IncomingMessage, response: ServerResponse) {
		const path = (request.url ?? '/').split('?')[0];
		if (path.startsWith(ADMIN_PREFIX)) return await adminRoutes(state, request, response, path, readBody);

		if (request.method === 'POST' && path === '/auth') {
			state.authCalls++;
			return await handleLetpay(request, response, path, state.authFaults, (body) => {
				const contentType = String(request.headers['content-type'] ?? '');
				// Letpay documents form-data (multipart) for /auth; anything else is refused, so a
				// client that signs in any other way fails here too.
				if (!contentType.startsWith('multipart/form-data')) {
					return { status: 415, body: errorEnvelope(state.now(), 415, path, `Content-Type '${contentType}' is not supported`) };
				}
				const form = parseMultipartForm(contentType, body);
				const merchantId = state.merchantFor(form.apiKey ?? '', form.apiSecret ?? '');
				if (!merchantId) {
					return { status: 401, body: errorEnvelope(state.now(), 401, path, 'Access Denied') };
				}
				const token = state.issueAccessToken(merchantId);
				return { status: 200, body: authBody(token, merchantId), refreshToken: undefined };
			});
		}

		const capture = CAPTURE_PATH.exec(path);
		if (request.method === 'POST' && capture) {
			trackInFlight(response);
			const paymentToken = decodeURIComponent(capture[1]);
			const accessToken = String(request.headers['x-auth-token'] ?? '');
			const merchantId = state.authenticate(accessToken);
			if (!merchantId) {
				const body = await readBody(request);
				log(request, path, 401, body);
				return sendJson(response, 401, errorEnvelope(state.now(), 401, path, 'Access Denied'));
			}
			const queue = state.faultsFor(state.faults, paymentToken);
			if (state.options.captureLatencyMs > 0) await sleep(state.options.captureLatencyMs);
			return await handleLetpay(request, response, path, queue, (body) => {
				const decision = decideCapture(state, merchantId, accessToken, paymentToken, path, body);
				return { ...decision, refreshToken: decision.body.refresh_token as string };
			});
		}

		const details = DETAILS_PATH.exec(path);
		const byReference = REFERENCE_PATH.exec(path);
		if (request.method === 'GET' && (details || byReference)) {
			const key = decodeURIComponent((details ?? byReference)![1]);
			const accessToken = String(request.headers['x-auth-token'] ?? '');
			const merchantId = state.authenticate(accessToken);
			if (!merchantId) {
				log(request, path, 401, await readBody(request));
				return sendJson(response, 401, errorEnvelope(state.now(), 401, path, 'Access Denied'));
			}
			const lookup = details ? transactionDetails : paymentsByReference;
			return await handleLetpay(request, response, path, state.faultsFor(state.lookupFaults, key), () => {
				const decision = lookup(state, merchantId, accessToken, key, path);
				return { ...decision, refreshToken: decision.body.refresh_token as string };
			});
		}

		const body = await readBody(request);
		log(request, path, 404, body);
		sendJson(response, 404, errorEnvelope(state.now(), 404, path, 'No static resource'));
	}

	// How many capture requests are open at once: the node's concurrency limit, seen from Letpay.
	function trackInFlight(response: ServerResponse) {
		state.capturesInFlight++;
		state.maxCapturesInFlight = Math.max(state.maxCapturesInFlight, state.capturesInFlight);
		response.once('close', () => state.capturesInFlight--);
	}

	const listener: RequestListener = (request, response) => {
		route(request, response).catch((error: Error) => {
			if (!response.headersSent) sendJson(response, 500, { message: error.message });
		});
	};
	const server = tls ? createTlsServer(tls, listener) : createServer(listener);
	// 'connection' fires for the TCP socket under TLS too: one count per connection a client opened.
	server.on('connection', (socket: Socket) => {
		state.connectionsOpened++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	return { server, sockets };
}

function authBody(token: string, merchantId: string) {
	return {
		token,
		user: {
			id: 1,
			username: 'sandbox-api-user',
			name: 'Sandbox API user',
			enable: true,
			open: true,
			roles: ['ROLE_MERCHANT_API'],
			merchant_id: merchantId,
		},
		version: '0.5.21',
	};
}
