import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import { letpayProperties } from './description';

export class Letpay implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Letpay',
		name: 'letpay',
		icon: { light: 'file:../../icons/letpay.svg', dark: 'file:../../icons/letpay.dark.svg' },
		group: ['transform'],
		// Version 2: Get is simplified by default (Simplify); version 1 keeps every field.
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ ({ capture: "Capture", get: "Get", getManyByReference: "Get Many by Reference" })[$parameter["operation"]] + " payment" }}',
		description: 'Capture pre-authorized Letpay card payments',
		defaults: { name: 'Letpay' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'letpayApi', required: true }],
		properties: letpayProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
