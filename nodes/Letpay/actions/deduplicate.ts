import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

export interface Deduplication<Request> {
	key(request: Request): string;
	mode(request: Request): 'fail' | 'skip';
	describe(request: Request, itemIndex: number, firstIndex: number): string;
}

export type Prepared<Request> =
	| { ok: true; request: Request }
	| { ok: false; error: NodeOperationError }
	| { ok: 'skip'; json: IDataObject };

/** Later items with the key of an earlier one become errors, or skipped items, before any request. */
export function markDuplicates(
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
