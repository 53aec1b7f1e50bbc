import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

export interface Deduplication<Request> {
	key(request: Request): string;
	mode(request: Request): 'fail' | 'skip';
	/** `earlier` names the first item with this key, e.g. "item 2" or "item 2 of run 1 of this node". */
	describe(request: Request, itemIndex: number, earlier: string): string;
}

export type Prepared<Request> =
	| { ok: true; request: Request }
	| { ok: false; error: NodeOperationError; duplicateOfItem?: number }
	| { ok: 'skip'; json: IDataObject };

/** Where the first item with a key was seen: run of this node within the execution, item index. */
type FirstSeen = [run: number, itemIndex: number];

interface ExecutionMemory {
	runs: number;
	/**
	 * By `#` + key: a plain object, so that n8n can save it with the execution, whose keys never
	 * meet Object.prototype (a payment token may be `constructor` or `__proto__`).
	 */
	firstSeen: Record<string, FirstSeen>;
}

const MEMORY_KEY = 'letpayDeduplication';

/*
 * Kept in n8n's node context, which lives exactly as long as the execution: every run of this
 * node in the execution (Loop Over Items batches, several incoming branches) shares it, a new
 * execution starts empty, and n8n releases it with the execution. It grows by one short entry per
 * distinct payment the execution sends, so it is bounded by the execution's own input.
 */
function executionMemory(ctx: IExecuteFunctions): ExecutionMemory {
	const context = ctx.getContext('node');
	const memory = (context[MEMORY_KEY] as ExecutionMemory | undefined) ?? { runs: 0, firstSeen: {} };
	memory.runs += 1;
	context[MEMORY_KEY] = memory;
	return memory;
}

/**
 * Returns a filter to call for each prepared item in index order: an item whose key an earlier
 * item of this execution had becomes an error, or a skipped item, before any request is made.
 */
export function duplicateFilter<Request>(ctx: IExecuteFunctions, deduplication: Deduplication<Request>) {
	const memory = executionMemory(ctx);
	const run = memory.runs;
	return (entry: Prepared<Request>, itemIndex: number): Prepared<Request> => {
		if (entry.ok !== true) return entry;
		const key = `#${deduplication.key(entry.request)}`;
		const first = Object.hasOwn(memory.firstSeen, key) ? memory.firstSeen[key] : undefined;
		if (first === undefined) {
			memory.firstSeen[key] = [run, itemIndex];
			return entry;
		}
		const [firstRun, firstIndex] = first;
		const earlier = firstRun === run ? `item ${firstIndex + 1}` : `item ${firstIndex + 1} of run ${firstRun} of this node`;
		const message = deduplication.describe(entry.request, itemIndex, earlier);
		if (deduplication.mode(entry.request) === 'skip') {
			return { ok: 'skip', json: { skipped: true, reason: message, duplicateOfItem: firstIndex, duplicateOfRun: firstRun } };
		}
		return {
			ok: false,
			duplicateOfItem: firstIndex,
			error: new NodeOperationError(ctx.getNode(), message, {
				itemIndex,
				description: 'Nothing was sent to Letpay for this item.',
			}),
		};
	};
}
