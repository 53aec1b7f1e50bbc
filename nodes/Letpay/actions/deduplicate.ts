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

/**
 * Returns a filter to call for each prepared item in index order: an item with the key of an
 * earlier one becomes an error, or a skipped item, before any request is made for it.
 */
export function duplicateFilter(ctx: IExecuteFunctions, deduplication: Deduplication<unknown>) {
	const firstIndexByKey = new Map<string, number>();
	return (entry: Prepared<unknown>, itemIndex: number): Prepared<unknown> => {
		if (entry.ok !== true) return entry;
		const key = deduplication.key(entry.request);
		const firstIndex = firstIndexByKey.get(key);
		if (firstIndex === undefined) {
			firstIndexByKey.set(key, itemIndex);
			return entry;
		}
		const message = deduplication.describe(entry.request, itemIndex, firstIndex);
		if (deduplication.mode(entry.request) === 'skip') {
			return { ok: 'skip', json: { skipped: true, reason: message, duplicateOfItem: firstIndex } };
		}
		return {
			ok: false,
			error: new NodeOperationError(ctx.getNode(), message, {
				itemIndex,
				description: 'Nothing was sent to Letpay for this item.',
			}),
		};
	};
}
