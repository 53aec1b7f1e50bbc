/*
 * What this n8n process did to each payment: one record per payment (its token in any letter
 * case), read by Check Before Capture and written around every capture.
 *
 * 1. A capture is marked `in_flight` BEFORE it is sent, whatever the options, so that a repeat
 *    starting meanwhile (a re-sent webhook, an AI agent calling the tool twice) sees it.
 * 2. Its outcome settles the mark: `captured` (Letpay took it, or verification credited it),
 *    `unknown` (it may have), or the mark is removed when Letpay refused it (nothing moved).
 * 3. With Check Before Capture (always, as a tool) a payment with any mark is not sent: Letpay's
 *    look-ups can lag behind a capture, so a look-up alone cannot tell "never captured" from
 *    "captured a moment ago".
 * 4. Keyed by the payment token alone, not the credential nor the base URL: a capture sent through
 *    another credential of the merchant, before its secret was rotated, or through another host
 *    name of the same Letpay (a proxy, localhost for 127.0.0.1) counts. Payment tokens are UUIDs,
 *    so sharing one record across Letpay environments only errs on the cautious side. Kept 30
 *    minutes, at most 50,000 payments.
 * 5. The record lives in this process only. Another n8n process (a queue-mode worker) keeps its
 *    own; across processes only Letpay's look-up and its own refusal (01.05.0003) protect a payment.
 * Duplicates within one execution are caught earlier, in n8n's node context (deduplicate.ts).
 */
export type MarkState = 'in_flight' | 'captured' | 'unknown';

export interface CaptureMark {
	state: MarkState;
	cents: number;
	at: number;
}

const KEEP_MS = 30 * 60_000;
const MAX_PAYMENTS = 50_000;

const records = new Map<string, CaptureMark[]>();

export const recordKey = (paymentToken: string) => paymentToken.toLowerCase();

/** The live marks of a payment, oldest first. */
export function marksOf(key: string): CaptureMark[] {
	const live = (records.get(key) ?? []).filter((mark) => Date.now() - mark.at <= KEEP_MS);
	if (live.length === 0) records.delete(key);
	else records.set(key, live);
	return [...live];
}

/** Rule 1: called right before the capture is sent, with no await between the check and this. */
export function markInFlight(key: string, cents: number): CaptureMark {
	const mark: CaptureMark = { state: 'in_flight', cents, at: Date.now() };
	const marks = marksOf(key);
	// Re-inserted: a Map keeps insertion order, so the least recently used payment is dropped first.
	records.delete(key);
	records.set(key, [...marks, mark]);
	while (records.size > MAX_PAYMENTS) records.delete(records.keys().next().value as string);
	return mark;
}

/** Rule 2: what the capture came to. */
export function settleMark(key: string, mark: CaptureMark, outcome: 'captured' | 'unknown' | 'refused'): void {
	if (outcome !== 'refused') {
		mark.state = outcome;
		mark.at = Date.now();
		return;
	}
	const rest = (records.get(key) ?? []).filter((other) => other !== mark);
	if (rest.length === 0) records.delete(key);
	else records.set(key, rest);
}
