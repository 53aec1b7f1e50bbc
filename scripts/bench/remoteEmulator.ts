import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import type { EmulatorCommand, EmulatorCounters } from './emulatorProcess';

type Command = EmulatorCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

export interface RemoteEmulator {
	readonly url: string;
	preAuthorize(paymentTokens: string[], amount: string): Promise<void>;
	forgetPayments(): Promise<void>;
	counters(): Promise<EmulatorCounters>;
	close(): Promise<void>;
}

/** Starts the Letpay emulator in a child process; `tlsFolder` (key.pem, cert.pem) makes it HTTPS. */
export async function startRemoteEmulator(latencyMs: number, tlsFolder?: string): Promise<RemoteEmulator> {
	const child: ChildProcess = fork(path.join(__dirname, 'emulatorProcess.ts'), [], {
		execArgv: ['-r', 'ts-node/register/transpile-only'],
		env: { ...process.env, BENCH_LATENCY_MS: String(latencyMs), LETPAY_BENCH_TLS: tlsFolder ?? '' },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const pending = new Map<number, (result: unknown) => void>();
	child.on('message', ({ id, result }: { id: number; result: unknown }) => {
		pending.get(id)?.(result);
		pending.delete(id);
	});
	let nextId = 1;
	const ask = <T>(command: Command) =>
		new Promise<T>((resolve, reject) => {
			const id = nextId++;
			pending.set(id, resolve as (result: unknown) => void);
			child.send({ ...command, id }, (error) => error && reject(error));
		});
	const url = await new Promise<string>((resolve, reject) => {
		pending.set(0, resolve as (result: unknown) => void);
		child.once('exit', (code) => reject(new Error(`emulator process exited with ${code}`)));
	});
	return {
		url,
		preAuthorize: (paymentTokens, amount) => ask({ command: 'preAuthorize', paymentTokens, amount }),
		forgetPayments: () => ask({ command: 'forgetPayments' }),
		counters: () => ask({ command: 'counters' }),
		close: async () => {
			try {
				await ask({ command: 'close' });
			} finally {
				child.kill();
			}
		},
	};
}
