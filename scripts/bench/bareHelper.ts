import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
} from 'n8n-workflow';

import { resolveEnvironment } from '../../nodes/Letpay/transport/signIn';

export const BARE_HELPER_NODE_TYPE = 'bench.bareHelperCapture';

/**
 * The floor a community node can reach inside n8n: the same credential and the same two
 * expressions per item as the Letpay node, then n8n's httpRequestWithAuthentication, `concurrency`
 * at a time, and nothing else — no validation, no duplicate check, no deadline, no error reading.
 * Bench only; never part of the package.
 */
export class BareHelperCapture implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Bare Helper Capture',
		name: 'bareHelperCapture',
		group: ['transform'],
		version: 1,
		description: 'Bench floor',
		defaults: { name: 'Bare Helper Capture' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'letpayApi', required: true }],
		properties: [
			{ displayName: 'Payment', name: 'preAuthorizedPayment', type: 'string', default: '' },
			{ displayName: 'Amount', name: 'amount', type: 'number', default: 0 },
			{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 10 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const { baseUrl } = resolveEnvironment(await this.getCredentials('letpayApi'));
		const concurrency = this.getNodeParameter('concurrency', 0) as number;
		const output: INodeExecutionData[] = new Array(items.length);
		let next = 0;
		const lane = async () => {
			while (next < items.length) {
				const index = next++;
				const paymentToken = this.getNodeParameter('preAuthorizedPayment', index) as string;
				const amount = this.getNodeParameter('amount', index) as number;
				const json = await this.helpers.httpRequestWithAuthentication.call(this, 'letpayApi', {
					method: 'POST',
					url: `${baseUrl}/token/${encodeURIComponent(paymentToken)}/capture`,
					body: { amount },
					json: true,
				});
				output[index] = { json, pairedItem: { item: index } };
			}
		};
		await Promise.all(Array.from({ length: concurrency }, lane));
		return [output];
	}
}
