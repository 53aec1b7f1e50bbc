import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';

import * as capture from './actions/payment/capture.operation';

export const letpayDescription: INodeTypeDescription = {
	displayName: 'Letpay',
	name: 'letpay',
	icon: 'file:../../icons/letpay.svg',
	group: ['transform'],
	version: 1,
	subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
	description: 'Capture pre-authorized Letpay card payments',
	defaults: { name: 'Letpay' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'letpayApi', required: true }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [{ name: 'Payment', value: 'payment' }],
			default: 'payment',
		},
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['payment'] } },
			options: [
				{
					name: 'Capture',
					value: 'capture',
					description: 'Capture a pre-authorized payment',
					action: 'Capture a pre-authorized payment',
				},
			],
			default: 'capture',
		},
		...capture.description,
	],
};
