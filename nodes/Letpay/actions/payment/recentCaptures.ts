/*
 * Captures this n8n process sent, per account and payment, for a while. Letpay's look-ups can
 * lag behind a capture (a capture still in flight at the acquirer shows PRE_AUTHORIZED), so a
 * look-up alone cannot tell "never captured" from "captured a moment ago". This memory can, within
 * the process: Check Before Capture refuses a payment it holds, and verification knows what was
 * captured before this request. Bounded in time and size, like the access-token cache.
 */
const REMEMBER_MS = 30 * 60_000;
const MAX_ENTRIES = 50_000;

export interface RecentCapture {
	/** Cents this process saw captured, or possibly captured, for the payment. */
	cents: number;
	/** The last capture's outcome as the node reported it: a success, or an unknown outcome. */
	outcome: 'captured' | 'uncertain';
	at: number;
}

const recent = new Map<string, RecentCapture>();

const keyOf = (account: string, paymentToken: string) => `${account}\u0000${paymentToken.toLowerCase()}`;

export function recentCapture(account: string, paymentToken: string): RecentCapture | undefined {
	const key = keyOf(account, paymentToken);
	const entry = recent.get(key);
	if (entry && Date.now() - entry.at > REMEMBER_MS) {
		recent.delete(key);
		return undefined;
	}
	return entry;
}

/** A capture of `cents` that went out and may have been taken (or was). */
export function rememberCapture(account: string, paymentToken: string, cents: number, outcome: RecentCapture['outcome']): void {
	const key = keyOf(account, paymentToken);
	const earlier = recentCapture(account, paymentToken);
	recent.delete(key);
	recent.set(key, { cents: (earlier?.cents ?? 0) + cents, outcome, at: Date.now() });
	// Oldest first in a Map: drop from the front when full.
	while (recent.size > MAX_ENTRIES) recent.delete(recent.keys().next().value as string);
}
