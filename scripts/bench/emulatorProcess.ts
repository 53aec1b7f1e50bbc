import { readFileSync } from 'node:fs';

import { startLetpayEmulator, type LetpayEmulator } from '../../test/letpayEmulator';

/*
 * The emulator in a process of its own, driven over IPC by remoteEmulator.ts: the bench measures
 * the CPU its own process spends per capture, and Letpay's side of the work must not count there.
 */
export type EmulatorCommand =
	| { id: number; command: 'preAuthorize'; paymentTokens: string[]; amount: string }
	| { id: number; command: 'forgetPayments' | 'counters' | 'close' };

export interface EmulatorCounters {
	captures: number;
	distinctCapturedTokens: number;
	authCalls: number;
	connectionsOpened: number;
	openConnections: number;
}

function counters(emulator: LetpayEmulator): EmulatorCounters {
	const captures = emulator.allCaptures();
	return {
		captures: captures.length,
		distinctCapturedTokens: new Set(captures.map((capture) => capture.paymentToken)).size,
		authCalls: emulator.authCalls,
		connectionsOpened: emulator.connectionsOpened,
		openConnections: emulator.openConnections,
	};
}

async function main() {
	const tlsFolder = process.env.LETPAY_BENCH_TLS;
	const emulator = await startLetpayEmulator({
		captureLatencyMs: Number(process.env.BENCH_LATENCY_MS ?? 20),
		tls: tlsFolder ? { key: readFileSync(`${tlsFolder}/key.pem`, 'utf8'), cert: readFileSync(`${tlsFolder}/cert.pem`, 'utf8') } : undefined,
	});
	process.on('message', async (message: EmulatorCommand) => {
		let result: unknown = true;
		if (message.command === 'preAuthorize') {
			for (const paymentToken of message.paymentTokens) emulator.preAuthorize({ paymentToken, amount: message.amount });
		} else if (message.command === 'forgetPayments') {
			// A fresh start for the next contender: idle keep-alive sockets of the last one are closed.
			emulator.closeIdleConnections();
			emulator.forgetPayments();
		} else if (message.command === 'counters') {
			result = counters(emulator);
		} else {
			await emulator.close();
		}
		process.send?.({ id: message.id, result });
		if (message.command === 'close') process.disconnect();
	});
	process.send?.({ id: 0, result: emulator.url });
}

void main();
