import type { INodeProperties } from 'n8n-workflow';

import * as capture from './actions/payment/capture.operation';

export const letpayProperties: INodeProperties[] = [
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
				action: 'Capture a payment',
			},
		],
		default: 'capture',
	},
	...capture.description,
];
