import type { INodeProperties } from 'n8n-workflow';

import * as capture from './actions/payment/capture.operation';
import * as get from './actions/payment/get.operation';
import * as getManyByReference from './actions/payment/getManyByReference.operation';

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
			{
				name: 'Get',
				value: 'get',
				description: "Look up a payment's status, amounts and card",
				action: 'Get a payment',
			},
			{
				name: 'Get Many by Reference',
				value: 'getManyByReference',
				description: 'Look up every payment of an order reference',
				action: 'Get many payments by reference',
			},
		],
		default: 'capture',
	},
	...capture.description,
	...get.description,
	...getManyByReference.description,
];
