import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { Workflow, type IConnections, type INode, type INodeParameters, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { LETPAY_NODE_TYPE, nodeTypes, ORDERS_NODE_TYPE, SINK_NODE_TYPE } from '../../helpers/nodeTypes';
import { defaultCaptureParameters, type CaptureRun, type CaptureWorkflow, type createCredentials } from '../../helpers/runWorkflow';

/** Node settings that runCaptureWorkflow does not expose, e.g. n8n's Retry On Fail. */
export interface NodeSettings {
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
}

/**
 * runCaptureWorkflow (test/helpers/runWorkflow.ts) with node settings: Orders -> Letpay ->
 * Captured / Failed through n8n-core's real WorkflowExecute. One batch only.
 */
export async function runWithNodeSettings(
	spec: CaptureWorkflow,
	credentials: ReturnType<typeof createCredentials>,
	settings: NodeSettings,
): Promise<CaptureRun> {
	const at = (x: number): [number, number] => [x, 0];
	const nodes: INode[] = [
		{ id: 'orders', name: 'Orders', type: ORDERS_NODE_TYPE, typeVersion: 1, position: at(0), parameters: { items: JSON.stringify(spec.orders) } },
		{
			id: 'letpay',
			name: 'Letpay',
			type: LETPAY_NODE_TYPE,
			typeVersion: 1,
			position: at(200),
			parameters: { ...defaultCaptureParameters, ...spec.parameters } as INodeParameters,
			credentials: { letpayApi: { id: 'cred-1', name: 'Letpay account' } },
			onError: spec.onError ?? 'stopWorkflow',
			...settings,
		},
		{ id: 'ok', name: 'Captured', type: SINK_NODE_TYPE, typeVersion: 1, position: at(400), parameters: {} },
		{ id: 'ko', name: 'Failed', type: SINK_NODE_TYPE, typeVersion: 1, position: at(400), parameters: {} },
	];
	const to = (node: string) => [{ node, type: 'main' as const, index: 0 }];
	const connections: IConnections = {
		Orders: { main: [to('Letpay')] },
		Letpay: { main: spec.onError === 'continueErrorOutput' ? [to('Captured'), to('Failed')] : [to('Captured')] },
	};
	const workflow = new Workflow({ id: 'review', nodes, connections, nodeTypes, active: false, settings: { executionOrder: 'v1' } });
	const hooks = new ExecutionLifecycleHooks('manual', 'review-execution', {
		id: 'review',
		name: 'review',
		active: false,
		nodes,
		connections: workflow.connectionsBySourceNode,
		createdAt: new Date(),
		updatedAt: new Date(),
		isArchived: false,
		activeVersionId: null,
	} as never);
	const additionalData = {
		hooks,
		credentialsHelper: credentials,
		currentNodeParameters: undefined,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formBaseUrl: 'http://127.0.0.1/form',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1/form-test',
		encryptedRunnerIdentity: undefined,
		executionId: undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	const run = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: nodes[0] });
	const letpayRuns = run.data.resultData.runData.Letpay ?? [];
	const output = (index: number) => letpayRuns.flatMap((letpayRun) => letpayRun.data?.main?.[index] ?? []);
	return { run, success: output(0), failed: output(1), error: run.data.resultData.error as CaptureRun['error'] };
}
