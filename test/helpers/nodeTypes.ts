import type { INodeType, INodeTypes } from 'n8n-workflow';

import { Letpay } from '../../nodes/Letpay/Letpay.node';
import { createNodeTypes } from './testNodes';

export { LETPAY_NODE_TYPE, LETPAY_TOOL_TYPE, ORDERS_NODE_TYPE, SINK_NODE_TYPE } from './testNodes';

const defaults = createNodeTypes(Letpay);
const registry: Record<string, INodeType> = {};

/** Adds a node type for a run outside the suite (the bench's floor contender). */
export function registerNodeType(type: string, node: INodeType) {
	registry[type] = node;
}

export const nodeTypes: INodeTypes = {
	getByName: (type) => registry[type] ?? defaults.getByName(type),
	getByNameAndVersion: (type, version) => registry[type] ?? defaults.getByNameAndVersion(type, version),
	getKnownTypes: () => ({}),
};
