/*
 * What the trigger remembers, in this n8n process only. n8n does not save a workflow's static data
 * when webhook() starts no execution, and reads it concurrently, so it cannot hold "already
 * emitted" reliably; this memory is bounded, and a duplicate can pass after a restart of n8n, in
 * another process (queue mode: webhooks reach main only), or once a payment was forgotten.
 */

const MAX_PAYMENTS = 10_000;
const WINDOW_MS = 60_000;

/** The last state emitted per workflow and payment: the same state is emitted once. */
export class EmittedStates {
	private readonly last = new Map<string, string>();

	constructor(private readonly maxPayments = MAX_PAYMENTS) {}

	/** True, and remembered, when `state` is not the last state emitted for this payment. */
	isNew(scope: string, payment: string, state: string): boolean {
		const key = `${scope}\u0000${payment}`;
		if (this.last.get(key) === state) return false;
		// Re-inserted: the least recently emitted payment is forgotten first.
		this.last.delete(key);
		this.last.set(key, state);
		while (this.last.size > this.maxPayments) this.last.delete(this.last.keys().next().value as string);
		return true;
	}
}

/**
 * One piece of work in flight per key: a second caller meanwhile gets the first one's (its
 * promises). The key is free again once `finished` of that work settles.
 */
export class OneAtATime<T> {
	private readonly running = new Map<string, T>();

	run(key: string, start: () => T, finished: (work: T) => Promise<unknown>): T {
		const running = this.running.get(key);
		if (running !== undefined) return running;
		const work = start();
		this.running.set(key, work);
		void finished(work).finally(() => this.running.delete(key));
		return work;
	}
}

/** At most `perMinute` events per scope in any 60 seconds (a sliding window). */
export class RateLimit {
	private readonly events = new Map<string, number[]>();

	allow(scope: string, perMinute: number, now = Date.now()): boolean {
		const recent = (this.events.get(scope) ?? []).filter((at) => now - at < WINDOW_MS);
		const allowed = recent.length < perMinute;
		if (allowed) recent.push(now);
		if (recent.length === 0) this.events.delete(scope);
		else this.events.set(scope, recent);
		return allowed;
	}
}
