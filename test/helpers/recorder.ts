import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	body: string;
}

export interface Recorder {
	/** e.g. http://127.0.0.1:41235 (no trailing slash): another origin than the emulator's. */
	readonly url: string;
	/** Every request that arrived, in order; recorded as soon as its headers are in. */
	readonly requests: RecordedRequest[];
	/** TCP connections opened to it since the last `forget()`, even those that never sent a request. */
	readonly connections: number;
	forget(): void;
	close(): Promise<void>;
}

/**
 * A stranger on another origin, where a redirect might point: it records whatever reaches it
 * and answers like a Letpay that took the request (200, a capture and a token), so that a client
 * following the redirect would look successful and only this record would give it away.
 */
export async function startRecorder(): Promise<Recorder> {
	const requests: RecordedRequest[] = [];
	const sockets = new Set<Socket>();
	let connections = 0;
	const server = createServer((request, response) => {
		const record: RecordedRequest = {
			method: request.method ?? '',
			path: request.url ?? '',
			headers: request.headers,
			body: '',
		};
		requests.push(record);
		request.on('data', (chunk: Buffer) => (record.body += chunk.toString('utf8')));
		request.on('end', () => {
			const text = JSON.stringify({ transaction_status: 'PROCESSING', token: 'recorder-token' });
			response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
			response.end(text);
		});
	});
	server.on('connection', (socket) => {
		connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		get connections() {
			return connections;
		},
		forget() {
			requests.length = 0;
			connections = 0;
		},
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

/** A recorder for every test of a file, emptied before each test. */
export function useRecorder(): { current: Recorder } {
	const holder = {} as { current: Recorder };
	beforeAll(async () => {
		holder.current = await startRecorder();
	});
	afterAll(async () => await holder.current.close());
	beforeEach(() => holder.current.forget());
	return holder;
}
