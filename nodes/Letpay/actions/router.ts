import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { duplicateReport, invalidInputReport, unexpectedFailureReport } from '../errors/reports';
import { errorItemJson, toNodeApiError } from '../errors/toNodeApiError';
import { createLetpayClient, type LetpayClient } from '../transport/letpayClient';
import { duplicateFilter, type Deduplication, type Prepared } from './deduplicate';
import * as capture from './payment/capture.operation';
import * as get from './payment/get.operation';
import * as getManyByReference from './payment/getManyByReference.operation';
import { runBounded } from './pool';
import { RunSummary } from './runSummary';
import type { OperationOutcome } from './types';
import { itemOptions } from './itemOptions';

interface Operation<Request> {
	prepare(this: IExecuteFunctions, itemIndex: number): Request;
	/** Items with the same key are acted on once per execution: later ones fail or are skipped. */
	deduplication?: Deduplication<Request>;
	/** How many items may be in flight at once (read once per run). */
	concurrency?(this: IExecuteFunctions): number;
	execute(this: IExecuteFunctions, client: LetpayClient, request: Request, itemIndex: number): Promise<OperationOutcome>;
	/** Whether a request of this operation can move money (an item that failed midway may have). */
	movesMoney?: boolean;
}

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

function findOperation(ctx: IExecuteFunctions): Operation<unknown> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const found = (operations as Record<string, Record<string, Operation<unknown>>>)[resource]?.[operation];
	if (!found) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" on "${resource}" is not supported`);
	}
	return found;
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

	// Read with the item's other parameters, before anything is sent: an option that fails to
	// resolve must refuse the item, not break the run after its capture went out.
	const includeInput: boolean[] = [];
	// Called in index order (here, or as the pool takes the next index), which dedupe relies on.
	const prepare = (itemIndex: number): Prepared<unknown> => {
		try {
			const entry: Prepared<unknown> = { ok: true, request: operation.prepare.call(this, itemIndex) };
			includeInput[itemIndex] = itemOptions(this, itemIndex).includeInputFields === true;
			return dedupe ? dedupe(entry, itemIndex) : entry;
		} catch (error) {
			return { ok: false, error: asInputError(this, error, itemIndex) };
		}
	};
	let checkedUpFront: Array<Prepared<unknown>> | undefined;
	if (!continueOnFail) {
		checkedUpFront = items.map((_item, itemIndex) => prepare(itemIndex));
		const firstInvalid = checkedUpFront.find((entry) => entry.ok === false);
		if (firstInvalid?.ok === false) throw firstInvalid.error;
	}

	const setUp = async () => ({
		client: items.length > 0 ? await createLetpayClient(this) : undefined,
		limit: operation.concurrency?.call(this) ?? 1,
	});
	let settings: Awaited<ReturnType<typeof setUp>>;
	if (!continueOnFail) settings = await setUp();
	else {
		try {
			settings = await setUp();
		} catch (error) {
			// Nothing was sent. n8n would pass the input items on through the success output, where
			// they would look captured: every item says why it was not, on the error output.
			const report = invalidInputReport(
				`The run could not start: ${(error as Error).message}`,
				"Nothing was sent to Letpay for any item. The node reads the credential and its run settings (the Options, with item 1's data) once per run: fix them and run again.",
			);
			return [items.map((_item, itemIndex) => errorItem(errorItemJson(report), itemIndex))];
		}
	}
	const { client, limit } = settings;
	// Each input item's output items land at its index: the output keeps the input's order.
	const output: INodeExecutionData[][] = new Array(items.length);
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
		let outcome: OperationOutcome;
		try {
			outcome = await operation.execute.call(this, client!, entry.request, itemIndex);
		} catch (error) {
			// Never out of the router: n8n would pass every raw input item on as if it succeeded.
			outcome = { ok: false, report: unexpectedFailureReport(error, operation.movesMoney === true), facts: {} };
		}
		summary.finished(itemIndex, outcome);
		if (outcome.ok) {
			const results = Array.isArray(outcome.json) ? outcome.json : [outcome.json];
			const input = includeInput[itemIndex] ? items[itemIndex].json : {};
			output[itemIndex] = results.map((json) => ({ json: { ...input, ...json }, pairedItem: { item: itemIndex } }));
		} else if (continueOnFail) output[itemIndex] = [errorItem(errorItemJson(outcome.report, outcome.facts), itemIndex)];
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
	return [output.flat()];
}
