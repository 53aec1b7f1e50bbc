import { sleep } from 'n8n-workflow';

/*
 * n8n's request timeout restarts whenever a byte arrives, so a body trickled slowly can hold a
 * capture for ever; and n8n 2.x replaces a request's own abort signal with the execution's.
 * So the whole exchange gets a deadline here. One watch loop serves all requests in flight (a
 * community node may not use setTimeout), and it ends as soon as nothing is waiting.
 */
export const PAST_DEADLINE = Symbol('past deadline');

const TICK_MS = 50;

interface Waiting {
	deadline: number;
	giveUp: () => void;
}

const waiting = new Set<Waiting>();
let watching = false;

async function watch() {
	watching = true;
	try {
		while (waiting.size > 0) {
			await sleep(TICK_MS);
			const now = Date.now();
			for (const entry of waiting) if (entry.deadline <= now) entry.giveUp();
		}
	} finally {
		watching = false;
	}
}

/** `work`'s result, or PAST_DEADLINE if it has not settled within `ms` (it is left to finish). */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof PAST_DEADLINE> {
	let entry: Waiting | undefined;
	const expired = new Promise<typeof PAST_DEADLINE>((resolve) => {
		entry = { deadline: Date.now() + ms, giveUp: () => resolve(PAST_DEADLINE) };
		waiting.add(entry);
	});
	if (!watching) void watch();
	// If the deadline wins, `work` may still fail later: that must not become an unhandled rejection.
	work.catch(() => undefined);
	try {
		return await Promise.race([work, expired]);
	} finally {
		waiting.delete(entry!);
	}
}

/*
 * Send gates. n8n signs in (the credential's preAuthentication) inside its request helper, just
 * before it sends. When a sign-in is slow, the node's deadline can pass first: the item is then
 * reported, and its request must never go out afterwards (a capture sent after the node said "unknown"
 * invites a second one). The credential's authenticate(), the last step before n8n sends, asks
 * the gate of the request's credentials object.
 */
export interface SendGate {
	deadline: number;
	state: 'waiting' | 'sent' | 'abandoned';
	/** Only to have n8n write the current token to its credential store: never sent, never signs in. */
	publishOnly?: true;
	/** Called as the request goes out (its credentials then hold the token it carries). */
	onSend?: () => void;
	/** The credential signed in for this request (rather than reusing the process's token). */
	signedIn?: true;
}

const gates = new WeakMap<object, SendGate>();

export function openSendGate(credentials: object, deadline: number, onSend?: () => void): SendGate {
	const gate: SendGate = { deadline, state: 'waiting', onSend };
	gates.set(credentials, gate);
	return gate;
}

/**
 * A request that never goes out: n8n runs the credential's preAuthentication for it (its token
 * field is empty) and saves what that returns, the process's current token; then the gate stops it.
 */
export function openPublishGate(credentials: object): void {
	gates.set(credentials, { deadline: 0, state: 'abandoned', publishOnly: true });
}

export function isPublishOnly(credentials: object): boolean {
	return gates.get(credentials)?.publishOnly === true;
}

/** The credential's preAuthentication signed in for the request these credentials belong to. */
export function noteSignIn(credentials: object): void {
	const gate = gates.get(credentials);
	if (gate) gate.signedIn = true;
}

/** True when the request may go out now; after the deadline, never. Requests without a gate pass. */
export function passSendGate(credentials: object): boolean {
	const gate = gates.get(credentials);
	if (!gate) return true;
	if (gate.state === 'abandoned' || Date.now() > gate.deadline) {
		gate.state = 'abandoned';
		return false;
	}
	gate.state = 'sent';
	gate.onSend?.();
	return true;
}

/** Called when the node gives up waiting: true if the request had not gone out (and now never will). */
export function abandonUnsent(gate: SendGate): boolean {
	if (gate.state === 'sent') return false;
	gate.state = 'abandoned';
	return true;
}
