import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { LetpayApi } from '../../credentials/LetpayApi.credentials';
import { createCredentials } from './runWorkflow';

export type CredentialTestResult = { status: 'OK' | 'Error'; message: string };

/**
 * What n8n's "Test" button does with a credential's declarative `test` request
 * (packages/cli CredentialsTester): a throw-away node whose only property routes that request,
 * run by n8n-core's RoutingNode, then the `responseCode` rules applied to a failed answer.
 */
export async function runCredentialTest(data: ICredentialDataDecryptedObject): Promise<CredentialTestResult> {
	const credentialType = new LetpayApi();
	const credentials = createCredentials();
	credentials.store(credentialType.name, data);

	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'test.credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: 'cred-1', name: 'Letpay account' } },
	};
	const nodeType: INodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['input'],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: credentialType.test.request } },
			],
		},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		},
	});
	const additionalData = { credentialsHelper: credentials, variables: {} } as unknown as IWorkflowExecuteAdditionalData;
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		{ resultData: { runData: {} } } as never,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const decrypted = { id: 'cred-1', name: 'Letpay account', type: credentialType.name, data: await credentials.getDecrypted(additionalData, { id: 'cred-1', name: '' }, credentialType.name) };
	try {
		await new RoutingNode(context, nodeType, decrypted).runNode();
	} catch (error) {
		const cause = (error as { cause?: { response?: { status?: number }; code?: string } }).cause;
		const status = cause?.response?.status;
		const rule = credentialType.test.rules?.find(
			(candidate) => candidate.type === 'responseCode' && candidate.properties.value === status,
		);
		if (rule) return { status: 'Error', message: (rule.properties as { message: string }).message };
		if (status !== undefined) return { status: 'Error', message: `Received HTTP status code: ${status}` };
		// n8n shows a bare error code when the cause has one, so the credential's errors must not.
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: (error as Error).message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
