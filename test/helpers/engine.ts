import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeParameters,
	type INodeExecutionData,
	type INodeTypes,
	type IRun,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import type { TestCredentialsHelper } from './credentialsHelper';
import { LETPAY_NODE_TYPE, ORDERS_NODE_TYPE, SINK_NODE_TYPE } from './testNodes';

/*
 * The test workflow, Orders -> Letpay -> Captured / Failed, run through n8n-core's real engine
 * with the node types of one "n8n process". Imports nothing of the package: the money model runs
 * the node only through the module instances it loads (see runWorkflow.ts for the defaults).
 */

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface CaptureWorkflow {
	orders: IDataObject[];
	/**
	 * Later batches of orders that reach the same Letpay node in the same execution (like Loop
	 * Over Items, or a second incoming branch): the node runs once more per batch.
	 */
	laterBatches?: IDataObject[][];
	/**
	 * Capture only: the window in which the node looks a payment up after an uncertain answer.
	 * Omitted, it is 0 (off), so that a test sees how the answer itself was read; 'default' leaves
	 * the node's default (10 s). An explicit options.verificationWindow wins.
	 */
	verification?: number | 'default';
	/** The Letpay node's type: the tool type stands for an AI agent calling it. */
	nodeType?: string;
	/** The Letpay node's own settings, e.g. n8n's Retry On Fail. */
	nodeSettings?: Partial<Pick<INode, 'retryOnFail' | 'maxTries' | 'waitBetweenTries' | 'typeVersion'>>;
	/** Letpay node parameters; expressions like `={{ $json.amount }}` are resolved by n8n. */
	parameters?: IDataObject;
	onError?: OnError;
	/** The workflow's id: requests carry it to the emulator's log (see TestCredentialsHelper). */
	workflowId?: string;
}

export interface CaptureRun {
	run: IRun;
	/** Items that left the Letpay node on its success output (or the only output). */
	success: INodeExecutionData[];
	/** Items routed to the error output ("Continue (using error output)"). */
	failed: INodeExecutionData[];
	/** The error that stopped the workflow, if any. */
	error?: Error & { description?: string | null; context?: IDataObject };
}

export const defaultCaptureParameters: IDataObject = {
	resource: 'payment',
	operation: 'capture',
	preAuthorizedPayment: '={{ $json.paymentToken }}',
	amount: '={{ $json.amount }}',
};

function letpayParameters(spec: CaptureWorkflow): INodeParameters {
	const parameters = { ...defaultCaptureParameters, ...spec.parameters };
	if (parameters.operation !== 'capture' || spec.verification === 'default') return parameters as INodeParameters;
	const options = { verificationWindow: spec.verification ?? 0, ...(parameters.options as IDataObject | undefined) };
	return { ...parameters, options } as INodeParameters;
}

function buildNodes(spec: CaptureWorkflow): INode[] {
	const at = (x: number): [number, number] => [x, 0];
	return [
		{
			id: 'orders',
			name: 'Orders',
			type: ORDERS_NODE_TYPE,
			typeVersion: 1,
			position: at(0),
			parameters: { items: JSON.stringify(spec.orders) },
		},
		{
			id: 'letpay',
			name: 'Letpay',
			type: spec.nodeType ?? LETPAY_NODE_TYPE,
			typeVersion: 1,
			position: at(200),
			parameters: letpayParameters(spec),
			credentials: { letpayApi: { id: 'cred-1', name: 'Letpay account' } },
			onError: spec.onError ?? 'stopWorkflow',
			...spec.nodeSettings,
		},
		...(spec.laterBatches ?? []).map((batch, index) => ({
			id: `orders-${index + 2}`,
			name: `Orders ${index + 2}`,
			type: ORDERS_NODE_TYPE,
			typeVersion: 1,
			// n8n (v1 order) runs a node's children left to right: this batch comes after Letpay's run.
			position: at(300 + index * 100),
			parameters: { items: JSON.stringify(batch) },
		})),
		{ id: 'ok', name: 'Captured', type: SINK_NODE_TYPE, typeVersion: 1, position: at(400), parameters: {} },
		{ id: 'ko', name: 'Failed', type: SINK_NODE_TYPE, typeVersion: 1, position: at(400), parameters: {} },
	];
}

function buildConnections(spec: CaptureWorkflow): IConnections {
	const to = (node: string) => [{ node, type: 'main' as const, index: 0 }];
	const letpayOutputs = [to('Captured')];
	if (spec.onError === 'continueErrorOutput') letpayOutputs.push(to('Failed'));
	// Orders -> Letpay, then Orders -> Orders 2 -> Letpay (a second run), and so on.
	const batches = ['Orders', ...(spec.laterBatches ?? []).map((_batch, index) => `Orders ${index + 2}`)];
	const connections: IConnections = { Letpay: { main: letpayOutputs } };
	batches.forEach((name, index) => {
		const next = batches[index + 1];
		connections[name] = { main: [[...to('Letpay'), ...(next ? to(next) : [])]] };
	});
	return connections;
}

/** Runs Orders -> Letpay -> Captured / Failed through n8n-core's real WorkflowExecute, with these node types. */
export async function runWorkflowWith(
	nodeTypes: INodeTypes,
	spec: CaptureWorkflow,
	credentials: TestCredentialsHelper,
): Promise<CaptureRun> {
	const nodes = buildNodes(spec);
	const workflow = new Workflow({
		id: spec.workflowId ?? 'capture-test',
		nodes,
		connections: buildConnections(spec),
		nodeTypes,
		active: false,
		settings: { executionOrder: 'v1' },
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'capture-test',
		name: 'capture test',
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

	const execution = new WorkflowExecute(additionalData, 'manual');
	const run = await execution.run({ workflow, startNode: nodes[0] });

	const letpayRuns = run.data.resultData.runData.Letpay ?? [];
	const output = (index: number) => letpayRuns.flatMap((letpayRun) => letpayRun.data?.main?.[index] ?? []);
	return {
		run,
		success: output(0),
		failed: output(1),
		error: run.data.resultData.error as CaptureRun['error'],
	};
}
