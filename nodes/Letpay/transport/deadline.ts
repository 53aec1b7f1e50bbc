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
