import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { duplicateReport, errorItemJson, invalidInputReport, toNodeApiError, unexpectedFailureReport, type ItemOutcome } from '../errors/report';
import { createLetpayClient, type LetpayClient } from '../transport/letpayClient';
import { duplicateFilter, type Deduplication, type Prepared } from './deduplicate';
import * as capture from './payment/capture.operation';
import * as get from './payment/get.operation';
import * as getManyByReference from './payment/getManyByReference.operation';
import { RunSummary } from './runSummary';

interface Operation<Request extends { includeInputFields: boolean }> {
	prepare(ctx: IExecuteFunctions, itemIndex: number): Request;
	/** Items with the same key are acted on once per execution: later ones fail or are skipped. */
	deduplication?: Deduplication<Request>;
	/** How many items may be in flight at once (read once per run). */
	concurrency(ctx: IExecuteFunctions): number;
	execute(client: LetpayClient, request: Request): Promise<ItemOutcome>;
	/** Whether a request of this operation can move money (an item that failed midway may have). */
	movesMoney?: boolean;
}

type AnyRequest = { includeInputFields: boolean };

const operations: {
	payment: {
		capture: Operation<capture.CaptureRequest>;
		get: Operation<get.GetRequest>;
		getManyByReference: Operation<getManyByReference.ReferenceRequest>;
	};
} = {
	payment: { capture, get, getManyByReference },
};

function asInputError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/*
 * An error item carries ONLY `json.error`. n8n routes such an item to the error output
 * ("Continue (using error output)"). Setting `item.error` as well would route it too, but n8n's
 * WorkflowExecute then replaces the whole json with `{ error: message }`, which would throw away
 * the HTTP code, Letpay's codes and what happened to the money.
 */
function errorItem(error: IDataObject, itemIndex: number): INodeExecutionData {
	return { json: { error }, pairedItem: { item: itemIndex } };
}

/** The report of an item refused before anything was sent for it. */
function refusedBeforeSending(entry: { error: NodeOperationError; duplicateOfItem?: number }) {
	const { message, description } = entry.error;
	return entry.duplicateOfItem === undefined
		? invalidInputReport(message, description ?? '')
		: duplicateReport(message, entry.duplicateOfItem);
}

const RETRY_ON_FAIL = {
	message: "Turn off this node's Retry On Fail setting: nothing was sent to Letpay",
	description:
		"Retry On Fail runs the node again for all its items after any failure, which could send payments that were captured, or whose outcome is unknown, a second time. The node resends by itself what is safe to resend. Turn Retry On Fail off (Settings), set On Error to 'Continue (using error output)' and branch on error.outcome.",
};

/** With n8n's Retry On Fail on, nothing is sent: every item says why (or the run stops saying it). */
function refuseRetryOnFail(ctx: IExecuteFunctions, count: number, continueOnFail: boolean): INodeExecutionData[][] {
	if (!continueOnFail) throw new NodeOperationError(ctx.getNode(), RETRY_ON_FAIL.message, { description: RETRY_ON_FAIL.description });
	const report = invalidInputReport(RETRY_ON_FAIL.message, RETRY_ON_FAIL.description);
	return [Array.from({ length: count }, (_item, itemIndex) => errorItem(errorItemJson(report), itemIndex))];
}

function findOperation(ctx: IExecuteFunctions): Operation<AnyRequest> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const found = (operations as unknown as Record<string, Record<string, Operation<AnyRequest>>>)[resource]?.[operation];
	if (!found) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" on "${resource}" is not supported`);
	}
	return found;
}

/**
 * The client and the concurrency of a run. They are read once per run; if that fails while the
 * node continues on fail, the output instead: every item says why nothing was sent.
 */
async function setUpRun(ctx: IExecuteFunctions, operation: Operation<AnyRequest>, count: number, continueOnFail: boolean) {
	const setUp = async () => ({ client: count > 0 ? await createLetpayClient(ctx) : undefined, limit: operation.concurrency(ctx) });
	if (!continueOnFail) return await setUp();
	try {
		return await setUp();
	} catch (error) {
		// Nothing was sent. n8n would pass the input items on through the success output, where
		// they would look captured: every item says why it was not, on the error output.
		const report = invalidInputReport(
			`The run could not start: ${(error as Error).message}`,
			"Nothing was sent to Letpay for any item. The node reads the credential and its run settings (the Options, with item 1's data) once per run: fix them and run again.",
		);
		return [Array.from({ length: count }, (_item, itemIndex) => errorItem(errorItemJson(report), itemIndex))];
	}
}

/** An item's output: its results (after the input's fields when asked), or its error item; none when the run is to stop. */
function outputOf(outcome: ItemOutcome, input: IDataObject, itemIndex: number, continueOnFail: boolean): INodeExecutionData[] | undefined {
	if (outcome.ok) {
		const results = Array.isArray(outcome.json) ? outcome.json : [outcome.json];
		return results.map((json) => ({ json: { ...input, ...json }, pairedItem: { item: itemIndex } }));
	}
	return continueOnFail ? [errorItem(errorItemJson(outcome.report, outcome.facts), itemIndex)] : undefined;
}

/**
 * Every input item ends as exactly one output item, in input order, paired with its input.
 * Without continue-on-fail, all items are checked before the first request: a typo in item 7
 * must not leave items 1-6 captured and the run failed. With it, an invalid item only becomes an
 * error item, so items are checked as they are sent, and that work overlaps the network waits.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = findOperation(this);
	const continueOnFail = this.continueOnFail();
	if (this.getNode().retryOnFail === true) return refuseRetryOnFail(this, items.length, continueOnFail);
	const dedupe = operation.deduplication ? duplicateFilter(this, operation.deduplication) : undefined;

	// Called in index order (here, or as the pool takes the next index), which dedupe relies on.
	// Options are read with the item's other parameters, before anything is sent: an option that
	// fails to resolve must refuse the item, not break the run after its capture went out.
	const prepare = (itemIndex: number): Prepared<AnyRequest> => {
		try {
			const entry: Prepared<AnyRequest> = { ok: true, request: operation.prepare(this, itemIndex) };
			return dedupe ? dedupe(entry, itemIndex) : entry;
		} catch (error) {
			return { ok: false, error: asInputError(this, error, itemIndex) };
		}
	};
	let checkedUpFront: Array<Prepared<AnyRequest>> | undefined;
	if (!continueOnFail) {
		checkedUpFront = items.map((_item, itemIndex) => prepare(itemIndex));
		const firstInvalid = checkedUpFront.find((entry) => entry.ok === false);
		if (firstInvalid?.ok === false) throw firstInvalid.error;
	}

	const settings = await setUpRun(this, operation, items.length, continueOnFail);
	if (Array.isArray(settings)) return settings;
	const { client, limit } = settings;
	// Each input item's output items land at its index: the output keeps the input's order.
	const output: Array<INodeExecutionData[] | undefined> = new Array(items.length);
	const summary = new RunSummary(items.length);

	const handle = async (itemIndex: number) => {
		const entry = checkedUpFront?.[itemIndex] ?? prepare(itemIndex);
		if (entry.ok === false) {
			output[itemIndex] = [errorItem(errorItemJson(refusedBeforeSending(entry)), itemIndex)];
			return;
		}
		if (entry.ok === 'skip') {
			output[itemIndex] = [{ json: entry.json, pairedItem: { item: itemIndex } }];
			return;
		}
		summary.started(itemIndex);
		let outcome: ItemOutcome;
		try {
			outcome = await operation.execute(client!, entry.request);
		} catch (error) {
			// Never out of the router: n8n would pass every raw input item on as if it succeeded.
			outcome = { ok: false, report: unexpectedFailureReport(error, operation.movesMoney === true), facts: {} };
		}
		summary.finished(itemIndex, outcome);
		output[itemIndex] = outputOf(outcome, entry.request.includeInputFields ? items[itemIndex].json : {}, itemIndex, continueOnFail);
	};
	// Without continue-on-fail, the first failure stops new requests; those in flight finish.
	await runBounded(items.length, limit, handle, () => !continueOnFail && summary.firstFailure !== undefined);
	const failure = summary.firstFailure;
	if (!continueOnFail && failure) {
		// The stopped run has no output, so the error itself says what did happen to each item.
		const error = toNodeApiError(this.getNode(), failure.report, failure.itemIndex, summary.describe(failure));
		error.context.itemResults = summary.asData();
		throw error;
	}
	return [output.flatMap((results) => results ?? [])];
}

/**
 * Calls `work(index)` for every index in order of index, with at most `limit` calls running at
 * once. Once `stop()` is true no further index is started; running calls are awaited.
 */
export async function runBounded(
	count: number,
	limit: number,
	work: (index: number) => Promise<void>,
	stop: () => boolean,
): Promise<void> {
	let next = 0;
	const lane = async () => {
		while (next < count && !stop()) {
			const index = next++;
			await work(index);
		}
	};
	// At least one lane whatever `limit` holds (NaN would make none, and no item would ever run).
	const lanes = Number.isFinite(limit) ? Math.max(1, Math.min(limit, count)) : 1;
	await Promise.all(Array.from({ length: lanes }, lane));
}
