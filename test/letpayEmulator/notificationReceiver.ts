import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { withEmulator } from './emulatorClient';
import type { EmulatorOptions, LetpayEmulator } from './index';

/** One call the receiver got: what a trigger's webhook would see. */
export interface Received {
	method: string;
	/** Path and query string, as sent. */
	url: string;
	contentType?: string;
	body: string;
	/** The body parsed, or undefined when it is not JSON. */
	json: unknown;
	/** When it arrived (Date.now()). */
	at: number;
}

/**
 * A stand-in for the Letpay Trigger's webhook in the emulator's own tests: records every call and
 * answers `status` after `delayMs` (set them to make the emulator's call fail or time out).
 */
export interface Receiver {
	readonly url: string;
	readonly received: Received[];
	status: number;
	delayMs: number;
	/** Resolves with the first `count` calls once they have arrived; rejects after `timeoutMs`. */
	waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
	close(): Promise<void>;
}

const parse = (text: string): unknown => {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
};

export async function startReceiver(): Promise<Receiver> {
	const received: Received[] = [];
	const waiters = new Set<() => void>();
	// Answers still waiting out delayMs: close() drops them rather than keep the test process up.
	const delayed = new Set<NodeJS.Timeout>();
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			received.push({ method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'], body, json: parse(body), at: Date.now() });
			for (const wake of waiters) wake();
			const answer = () => response.writeHead(receiver.status, { 'Content-Type': 'application/json' }).end('{"received":true}');
			if (receiver.delayMs === 0) return void answer();
			const timer = setTimeout(() => {
				delayed.delete(timer);
				answer();
			}, receiver.delayMs);
			delayed.add(timer);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	const receiver: Receiver = {
		url: `http://127.0.0.1:${port}`,
		received,
		status: 200,
		delayMs: 0,
		waitFor: (count, timeoutMs = 5_000) =>
			new Promise((resolve, reject) => {
				const check = () => {
					if (received.length < count) return;
					waiters.delete(check);
					clearTimeout(timer);
					resolve(received.slice(0, count));
				};
				const timer = setTimeout(() => {
					waiters.delete(check);
					reject(new Error(`expected ${count} notification(s), got ${received.length}`));
				}, timeoutMs);
				waiters.add(check);
				check();
			}),
		close: () =>
			new Promise<void>((resolve) => {
				for (const timer of delayed) clearTimeout(timer);
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
	return receiver;
}

/** An emulator and a receiver for one test, both closed afterwards. */
export async function withReceiver(options: EmulatorOptions, body: (emulator: LetpayEmulator, receiver: Receiver) => Promise<void>) {
	const receiver = await startReceiver();
	try {
		await withEmulator(options, (emulator) => body(emulator, receiver));
	} finally {
		await receiver.close();
	}
}
