import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import type { NotificationRecord } from './types';

/** Enough of an answer to read what a trigger said, without keeping a huge one. */
const ANSWER_KEPT = 2_000;

/**
 * POSTs one notification and fills in `record` when it is answered or fails. Never rejects: a
 * failure is Letpay's 00.03.0005 ("Your notification URL returned an error or timed out"), which
 * Letpay records, so it is recorded here too. `open` holds the request while it runs, so that
 * closing the emulator can end it.
 */
export function deliver(record: NotificationRecord, timeoutMs: number, open: Set<ClientRequest>): Promise<NotificationRecord> {
	return new Promise((resolve) => {
		const settle = (outcome: Partial<NotificationRecord>) => {
			if (record.result !== 'pending') return false;
			Object.assign(record, outcome);
			resolve(record);
			return true;
		};
		const failure = (reason: string): Partial<NotificationRecord> => ({ result: 'failed', error: `callMerchant error : ${reason}` });
		let url: URL;
		try {
			url = new URL(record.url);
		} catch {
			return void settle(failure('invalid URL'));
		}
		// agent: false, no keep-alive: a notification leaves no socket open behind it.
		const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
		const request = send(url, {
			method: 'POST',
			agent: false,
			headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(record.body) },
		});
		// The whole exchange, not only an idle socket: a trigger that trickles its answer fails too.
		const timer = setTimeout(() => {
			finish(failure(`timed out after ${timeoutMs} ms`));
			request.destroy();
		}, timeoutMs);
		const finish = (outcome: Partial<NotificationRecord>) => {
			if (!settle(outcome)) return;
			clearTimeout(timer);
			open.delete(request);
		};
		open.add(request);
		request.on('error', (error: NodeJS.ErrnoException) => finish(failure(error.code ?? error.message)));
		request.on('response', (response) => {
			let answer = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				if (answer.length < ANSWER_KEPT) answer = (answer + chunk).slice(0, ANSWER_KEPT);
			});
			response.on('error', (error: Error) => finish(failure(error.message)));
			// Closed before its end: the answer was cut off (after 'end' this changes nothing).
			response.on('close', () => finish(failure('connection closed')));
			response.on('end', () => {
				const statusCode = response.statusCode ?? 0;
				const delivered = statusCode >= 200 && statusCode < 300;
				finish({ result: delivered ? 'delivered' : 'failed', statusCode, answer, ...(delivered ? {} : failure(String(statusCode))) });
			});
		});
		request.end(record.body);
	});
}
