import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';

/*
 * The test workflow's own node types around the Letpay node. Nothing of the package is imported
 * here: createNodeTypes takes the Letpay node class of whichever module instance runs.
 */

export const LETPAY_NODE_TYPE = 'n8n-nodes-letpay.letpay';
/** n8n wraps a node that is usable as a tool in a type of this name when an AI agent uses it. */
export const LETPAY_TOOL_TYPE = 'n8n-nodes-letpay.letpayTool';
export const ORDERS_NODE_TYPE = 'test.orders';
export const SINK_NODE_TYPE = 'test.sink';

/** Emits the items given as JSON in its `items` parameter, like a trigger followed by a Code node. */
class Orders implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Orders',
		name: 'orders',
		group: ['input'],
		version: 1,
		description: 'Test input',
		defaults: { name: 'Orders' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'string', default: '[]' }],
	};

	async execute(this: IExecuteFunctions) {
		const orders = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [orders.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

/** Passes its input through, so a test can read what reached each branch. */
class Sink implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Sink',
		name: 'sink',
		group: ['output'],
		version: 1,
		description: 'Test output',
		defaults: { name: 'Sink' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions) {
		return [this.getInputData()];
	}
}

/** The test workflow's node types, with the Letpay node of one module instance (one "n8n process"). */
export function createNodeTypes(LetpayNode: new () => INodeType): INodeTypes {
	const types: Record<string, INodeType> = {
		[LETPAY_NODE_TYPE]: new LetpayNode(),
		[LETPAY_TOOL_TYPE]: new LetpayNode(),
		[ORDERS_NODE_TYPE]: new Orders(),
		[SINK_NODE_TYPE]: new Sink(),
	};
	return {
		getByName: (type) => types[type],
		getByNameAndVersion: (type) => types[type],
		getKnownTypes: () => ({}),
	};
}
