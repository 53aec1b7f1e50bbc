import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

function quote(value: unknown): string {
	const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A parameter an item cannot be sent with: names the item (counting from 1) and the field. */
export function invalidInput(ctx: IExecuteFunctions, itemIndex: number, field: string, value: unknown, reason: string) {
	return new NodeOperationError(ctx.getNode(), `Invalid ${field} in item ${itemIndex + 1}: ${quote(value)} ${reason}`, {
		itemIndex,
		description: 'Nothing was sent to Letpay for this item.',
	});
}
