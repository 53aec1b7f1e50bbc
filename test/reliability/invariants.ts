import type { INodeExecutionData } from 'n8n-workflow';

import type { CaptureRecord } from '../letpayEmulator';
import { paymentKey, type ItemOutcome, type Order } from './faultPlan';

export interface RunFindings {
	items: number;
	/** Input items without exactly one output item (missing ones, and extra or repeated ones). */
	lostItems: number;
	/** Payments with more than one capture in the ledger, however their tokens were spelled. */
	doubleCaptures: number;
	/**
	 * Captures the output hides: a capture made by an item (its payment, its amount) that says
	 * nothing was captured (not_captured, handled_by_earlier_item, already_captured_or_expired) or
	 * that has no output item, and a capture no item asked for.
	 */
	unreportedCaptures: number;
	/** Reported as captured without exactly one ledger entry of that payment and amount. */
	phantomSuccesses: number;
	outOfOrder: number;
	/** handled_by_earlier_item items whose duplicateOfItem is not an earlier item of the same payment with a result of its own. */
	badDuplicatePointers: number;
	/** Items that ended with an outcome their fault rules out (e.g. success for an answer that does not confirm the capture). */
	unexpectedOutcomes: number;
}

/** One run of the node: its input and what left it on each output. */
export interface BatchResult {
	orders: Order[];
	/** Per order, the outcomes it may end with (from the plan). */
	outcomes: ItemOutcome[][];
	/** Per order, the fault it met (for the evidence). */
	kinds?: Array<string | undefined>;
	success: INodeExecutionData[];
	failed: INodeExecutionData[];
}

interface Entry {
	token: string;
	kind?: string;
	key: string;
	cents: number;
	/** undefined: the item is lost. */
	outcome?: ItemOutcome | 'unrecognised';
	duplicateOfItem?: unknown;
	allowed: ItemOutcome[];
}

const cents = (amount: unknown) => Math.round(Number(amount) * 100);

/** Outcomes that say this item's request captured nothing: a capture made by it is hidden. */
const SAYS_NOTHING_CAPTURED = new Set<Entry['outcome']>([undefined, 'not_captured', 'handled_by_earlier_item', 'already_captured_or_expired']);

function outcomeOf(item: INodeExecutionData): Pick<Entry, 'outcome' | 'duplicateOfItem'> {
	const error = item.json.error as { outcome?: ItemOutcome; duplicateOfItem?: unknown } | undefined;
	if (error) return { outcome: error.outcome ?? 'unrecognised', duplicateOfItem: error.duplicateOfItem };
	return { outcome: item.json.success === true ? 'success' : 'unrecognised' };
}

/**
 * The promises a merchant relies on, checked item by item against the emulator's ledger, over
 * every run of the node in one execution. A capture belongs to the item with its payment (token
 * trimmed, in any case) and its amount: the plan gives the items of one payment different amounts.
 * `evidence` receives one line per finding: run, item, token, fault, outcome and the ledger.
 */
export function checkRun(batches: BatchResult[], ledger: CaptureRecord[], evidence: string[] = []): RunFindings {
	let lostItems = 0;
	let outOfOrder = 0;
	const entries: Entry[][] = batches.map((batch, batchIndex) => {
		const outputs = new Map<number, INodeExecutionData>();
		for (const branch of [batch.success, batch.failed]) {
			let previous = -1;
			for (const item of branch) {
				const index = (item.pairedItem as { item: number }).item;
				if (index <= previous) {
					outOfOrder++;
					evidence.push(`run ${batchIndex + 1}: output item ${index} after item ${previous}`);
				}
				previous = index;
				if (outputs.has(index) || !(index >= 0 && index < batch.orders.length)) {
					lostItems++;
					evidence.push(`run ${batchIndex + 1}: an output item for input item ${index}, which has one already or does not exist`);
				}
				outputs.set(index, item);
			}
		}
		return batch.orders.map((order, index) => {
			const item = outputs.get(index);
			if (!item) lostItems++;
			return {
				token: order.paymentToken,
				kind: batch.kinds?.[index],
				key: paymentKey(String(order.paymentToken)),
				cents: cents(order.amount),
				allowed: batch.outcomes[index],
				...(item ? outcomeOf(item) : {}),
			};
		});
	});

	const capturesByPayment = new Map<string, CaptureRecord[]>();
	for (const capture of ledger) {
		const key = paymentKey(capture.paymentToken);
		capturesByPayment.set(key, [...(capturesByPayment.get(key) ?? []), capture]);
	}
	const capturesBy = (entry: Entry) => (capturesByPayment.get(entry.key) ?? []).filter((capture) => capture.amountCents === entry.cents);

	/** An earlier item (same run, or any index of an earlier run) of the same payment, with its own result. */
	const pointsBack = (batch: number, index: number, entry: Entry) => {
		const target = entry.duplicateOfItem;
		if (typeof target !== 'number') return false;
		const candidates = [...entries.slice(0, batch).map((earlier) => earlier[target]), target < index ? entries[batch][target] : undefined];
		return candidates.some(
			(candidate) => candidate?.key === entry.key && candidate.outcome !== undefined && candidate.outcome !== 'handled_by_earlier_item',
		);
	};

	let unreportedCaptures = 0;
	let phantomSuccesses = 0;
	let badDuplicatePointers = 0;
	let unexpectedOutcomes = 0;
	entries.forEach((batch, batchIndex) =>
		batch.forEach((entry, index) => {
			const captures = capturesBy(entry);
			const problems = [
				entry.outcome === undefined && 'lost',
				entry.outcome === 'success' && captures.length !== 1 && (phantomSuccesses++, 'phantom success'),
				captures.length > 0 && SAYS_NOTHING_CAPTURED.has(entry.outcome) && (unreportedCaptures++, 'hidden capture'),
				entry.outcome !== undefined && !(entry.allowed as string[]).includes(entry.outcome) && (unexpectedOutcomes++, 'unexpected outcome'),
				entry.outcome === 'handled_by_earlier_item' && !pointsBack(batchIndex, index, entry) && (badDuplicatePointers++, 'bad duplicateOfItem'),
			].filter(Boolean);
			if (problems.length > 0) {
				evidence.push(
					`run ${batchIndex + 1} item ${index} ${JSON.stringify(entry.token)} (${entry.kind ?? 'no fault'}): ${problems.join(', ')}; ` +
						`outcome ${entry.outcome ?? 'none'}${entry.duplicateOfItem === undefined ? '' : ` -> item ${String(entry.duplicateOfItem)}`}, ` +
						`ledger for the payment: [${(capturesByPayment.get(entry.key) ?? []).map((capture) => capture.amountCents).join(', ')}] cents, item asked ${entry.cents}`,
				);
			}
		}),
	);
	const all = entries.flat();
	const askedFor = new Set(all.map((entry) => `${entry.key} ${entry.cents}`));
	for (const capture of ledger) {
		if (askedFor.has(`${paymentKey(capture.paymentToken)} ${capture.amountCents}`)) continue;
		unreportedCaptures++;
		evidence.push(`a capture no item asked for: ${JSON.stringify(capture)}`);
	}
	for (const [key, captures] of capturesByPayment) {
		if (captures.length > 1) evidence.push(`double capture of ${key}: ${captures.map((capture) => capture.amountCents).join(' + ')} cents`);
	}

	return {
		items: all.length,
		lostItems,
		doubleCaptures: [...capturesByPayment.values()].filter((captures) => captures.length > 1).length,
		unreportedCaptures,
		phantomSuccesses,
		outOfOrder,
		badDuplicatePointers,
		unexpectedOutcomes,
	};
}

/** Findings of a run in which every promise held. */
export function cleanFindings(items: number): RunFindings {
	return {
		items,
		lostItems: 0,
		doubleCaptures: 0,
		unreportedCaptures: 0,
		phantomSuccesses: 0,
		outOfOrder: 0,
		badDuplicatePointers: 0,
		unexpectedOutcomes: 0,
	};
}
