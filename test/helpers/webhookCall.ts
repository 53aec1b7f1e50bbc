import { WebhookContext } from 'n8n-core';
import { Workflow, type IDataObject, type INode, type INodeType, type INodeTypes, type IWebhookData, type IWebhookResponseData, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import type { TestCredentialsHelper } from './credentialsHelper';

export const TRIGGER_NODE_TYPE = 'n8n-nodes-letpay.letpayTrigger';

export interface Notification {
	body?: unknown;
	/**
	 * The body's bytes as n8n read them (`rawBody`), when they are not the body's JSON: given as
	 * undefined, there are none (and no Content-Length), as for a multipart request.
	 */
	rawText?: string;
	query?: IDataObject;
	/** Extra request headers; a header given as undefined is removed. */
	headers?: Record<string, string | undefined>;
	/** The trigger's parameters (Statuses, Simplify, Options). */
	parameters?: IDataObject;
	/** Workflows are told apart by id: duplicates and the rate limit are per workflow and trigger node. */
	workflowId?: string;
	nodeId?: string;
}

export interface TriggerAnswer {
	status: number | undefined;
	body: unknown;
	headers: Record<string, string>;
	/** The items the workflow would start with, if any. */
	emitted: IDataObject[] | undefined;
	/** Milliseconds until the answer was written (what the caller waits), and until webhook() returned. */
	answeredMs: number | undefined;
	ms: number;
}

/**
 * One notification through a Letpay Trigger's webhook(), with n8n-core's real WebhookContext
 * (parameters, credentials and request helpers as n8n gives them); the HTTP request and response
 * are the only stand-ins, the response recording what the trigger wrote. The trigger is given, so
 * that the money model can pass its processes' own (this file imports nothing of the package).
 */
export async function callTrigger(trigger: INodeType, credentials: TestCredentialsHelper, notification: Notification): Promise<TriggerAnswer> {
	const node: INode = {
		id: notification.nodeId ?? 'trigger',
		name: 'Letpay Trigger',
		type: TRIGGER_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: (notification.parameters ?? {}) as INode['parameters'],
		credentials: { letpayApi: { id: 'cred-1', name: 'Letpay account' } },
	};
	const types: INodeTypes = { getByName: () => trigger, getByNameAndVersion: () => trigger, getKnownTypes: () => ({}) };
	const workflow = new Workflow({ id: notification.workflowId ?? 'trigger-test', nodes: [node], connections: {}, nodeTypes: types, active: true });
	const text = 'rawText' in notification ? notification.rawText : notification.body === undefined ? '' : JSON.stringify(notification.body);
	const headers: Record<string, string> = { 'content-type': 'application/json', ...(text === undefined ? {} : { 'content-length': String(Buffer.byteLength(text)) }) };
	for (const [name, value] of Object.entries(notification.headers ?? {})) {
		if (value === undefined) delete headers[name];
		else headers[name] = value;
	}
	const request = { body: notification.body ?? {}, query: notification.query ?? {}, headers, rawBody: text === undefined ? undefined : Buffer.from(text), params: {} };
	const started = Date.now();
	const answer: TriggerAnswer = { status: undefined, body: undefined, headers: {}, emitted: undefined, answeredMs: undefined, ms: 0 };
	const response = {
		setHeader: (name: string, value: string) => void (answer.headers[name.toLowerCase()] = value),
		status(code: number) {
			answer.status = code;
			return response;
		},
		json(body: unknown) {
			answer.body = body;
			answer.answeredMs = Date.now() - started;
			return response;
		},
	};
	const additionalData = { credentialsHelper: credentials, httpRequest: request, httpResponse: response, variables: {} } as unknown as IWorkflowExecuteAdditionalData;
	const webhookData = { httpMethod: 'POST', node: node.name, path: 'webhook', webhookDescription: { name: 'default', httpMethod: 'POST', path: 'webhook' }, workflowId: workflow.id } as unknown as IWebhookData;
	const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
	const result: IWebhookResponseData = await trigger.webhook!.call(context);
	answer.emitted = result.workflowData?.[0]?.map((item) => item.json);
	answer.ms = Date.now() - started;
	return answer;
}
