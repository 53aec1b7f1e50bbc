import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { router } from './actions/router';
import { letpayDescription } from './description';

export class Letpay implements INodeType {
	description = letpayDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
