import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';

import { Letpay } from '../../nodes/Letpay/Letpay.node';

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

const registry: Record<string, INodeType> = {
	[LETPAY_NODE_TYPE]: new Letpay(),
	[LETPAY_TOOL_TYPE]: new Letpay(),
	[ORDERS_NODE_TYPE]: new Orders(),
	[SINK_NODE_TYPE]: new Sink(),
};

/** Adds a node type for a run outside the suite (the bench's floor contender). */
export function registerNodeType(type: string, node: INodeType) {
	registry[type] = node;
}

export const nodeTypes: INodeTypes = {
	getByName: (type) => registry[type],
	getByNameAndVersion: (type) => registry[type],
	getKnownTypes: () => ({}),
};
