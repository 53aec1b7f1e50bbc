import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { createLetpayClient, type LetpayClient } from '../transport/letpayClient';
import * as capture from './payment/capture.operation';
import type { OperationOutcome } from './types';

interface Deduplication<Request> {
	key(request: Request): string;
	mode(request: Request): 'fail' | 'skip';
	describe(request: Request, itemIndex: number, firstIndex: number): string;
}

interface Operation<Request> {
	prepare(this: IExecuteFunctions, itemIndex: number): Request;
	/** Items with the same key are acted on once per run: later ones fail or are skipped. */
	deduplication?: Deduplication<Request>;
	execute(
		this: IExecuteFunctions,
		client: LetpayClient,
		request: Request,
		itemIndex: number,
	): Promise<OperationOutcome>;
}

const operations: { payment: { capture: Operation<capture.CaptureRequest> } } = {
	payment: { capture },
};

type Prepared<Request> =
	| { ok: true; request: Request }
	| { ok: false; error: NodeOperationError }
	| { ok: 'skip'; json: IDataObject };

function asInputError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/*
 * An error item carries ONLY `json.error`. n8n routes such an item to the error output
 * ("Continue (using error output)"). Setting `item.error` as well would route it too, but n8n's
 * WorkflowExecute then replaces the whole json with `{ error: message }`, which would throw away
 * the HTTP code, Letpay's codes and whether money may have moved.
 */
function errorItem(error: IDataObject, itemIndex: number): INodeExecutionData {
	return { json: { error }, pairedItem: { item: itemIndex } };
}

function inputErrorJson(error: NodeOperationError): IDataObject {
	return {
		message: error.message,
		description: error.description ?? null,
		httpCode: null,
		outcome: 'not_captured',
		safeToRetry: true,
		letpayCodes: [],
	};
}

function findOperation(ctx: IExecuteFunctions): Operation<unknown> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const found = (operations as Record<string, Record<string, Operation<unknown>>>)[resource]?.[
		operation
	];
	if (!found) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" on "${resource}" is not supported`);
	}
	return found;
}

function markDuplicates(
	ctx: IExecuteFunctions,
	prepared: Array<Prepared<unknown>>,
	deduplication: Deduplication<unknown>,
) {
	const firstIndexByKey = new Map<string, number>();
	prepared.forEach((entry, itemIndex) => {
		if (entry.ok !== true) return;
		const key = deduplication.key(entry.request);
		const firstIndex = firstIndexByKey.get(key);
		if (firstIndex === undefined) {
			firstIndexByKey.set(key, itemIndex);
			return;
		}
		const message = deduplication.describe(entry.request, itemIndex, firstIndex);
		prepared[itemIndex] =
			deduplication.mode(entry.request) === 'skip'
				? { ok: 'skip', json: { skipped: true, reason: message, duplicateOfItem: firstIndex } }
				: {
						ok: false,
						error: new NodeOperationError(ctx.getNode(), message, {
							itemIndex,
							description: 'Nothing was sent to Letpay for this item.',
						}),
					};
	});
}

/**
 * Every input item ends as exactly one output item, in input order, paired with its input.
 * All items are checked before the first request: a typo in item 7 must not leave items 0-6
 * captured and the run failed.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = findOperation(this);
	const continueOnFail = this.continueOnFail();

	const prepared = items.map((_item, itemIndex): Prepared<unknown> => {
		try {
			return { ok: true, request: operation.prepare.call(this, itemIndex) };
		} catch (error) {
			return { ok: false, error: asInputError(this, error, itemIndex) };
		}
	});
	if (operation.deduplication) markDuplicates(this, prepared, operation.deduplication);
	const firstInvalid = prepared.find((entry) => entry.ok === false);
	if (firstInvalid?.ok === false && !continueOnFail) throw firstInvalid.error;

	let client: LetpayClient | undefined;
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, entry] of prepared.entries()) {
		if (entry.ok === false) {
			output.push(errorItem(inputErrorJson(entry.error), itemIndex));
			continue;
		}
		if (entry.ok === 'skip') {
			output.push({ json: entry.json, pairedItem: { item: itemIndex } });
			continue;
		}
		client ??= await createLetpayClient(this);
		const outcome = await operation.execute.call(this, client, entry.request, itemIndex);
		if (outcome.ok) {
			output.push({ json: outcome.json, pairedItem: { item: itemIndex } });
		} else if (continueOnFail) {
			output.push(errorItem(outcome.errorJson, itemIndex));
		} else {
			throw outcome.error;
		}
	}
	return [output];
}
