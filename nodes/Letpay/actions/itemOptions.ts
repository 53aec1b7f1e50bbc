import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

const readers = new WeakMap<IExecuteFunctions, (itemIndex: number) => IDataObject>();

function readerFor(ctx: IExecuteFunctions): (itemIndex: number) => IDataObject {
	if (holdsExpression(ctx.getNode().parameters.options)) {
		return (itemIndex) => ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	}
	let once: IDataObject | undefined;
	return () => (once ??= Object.freeze(ctx.getNodeParameter('options', 0, {}) as IDataObject));
}

/**
 * An item's Options. n8n resolves a parameter anew for every item, copying it each time; Options
 * without an expression are the same for every item, so they are read once per run (the node's
 * execution context is the same object for the whole run).
 */
export function itemOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	let read = readers.get(ctx);
	if (!read) readers.set(ctx, (read = readerFor(ctx)));
	return read(itemIndex);
}
