import { WebhookContext } from 'n8n-core';
import { Workflow, type IDataObject, type INode, type IWebhookData, type IWebhookResponseData, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { LetpayTrigger } from '../../nodes/LetpayTrigger/LetpayTrigger.node';
import type { TestCredentialsHelper } from './credentialsHelper';
import { nodeTypes, registerNodeType } from './nodeTypes';

export const TRIGGER_NODE_TYPE = 'n8n-nodes-letpay.letpayTrigger';
registerNodeType(TRIGGER_NODE_TYPE, new LetpayTrigger());

export interface Notification {
	body?: unknown;
	query?: IDataObject;
	headers?: Record<string, string>;
	/** The trigger's parameters (Statuses, Simplify, Options). */
	parameters?: IDataObject;
	/** Workflows are told apart by id: duplicates and the rate limit are per workflow. */
	workflowId?: string;
}

export interface TriggerAnswer {
	status: number | undefined;
	body: unknown;
	headers: Record<string, string>;
	/** The items the workflow would start with, if any. */
	emitted: IDataObject[] | undefined;
}

/**
 * One notification through the Letpay Trigger's webhook(), with n8n-core's real WebhookContext
 * (parameters, credentials and request helpers as n8n gives them); the HTTP request and response
 * are the only stand-ins, the response recording what the trigger wrote.
 */
export async function notifyTrigger(credentials: TestCredentialsHelper, notification: Notification): Promise<TriggerAnswer> {
	const node: INode = {
		id: 'trigger',
		name: 'Letpay Trigger',
		type: TRIGGER_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: (notification.parameters ?? {}) as INode["parameters"],
		credentials: { letpayApi: { id: 'cred-1', name: 'Letpay account' } },
	};
	const workflow = new Workflow({ id: notification.workflowId ?? 'trigger-test', nodes: [node], connections: {}, nodeTypes, active: true });
	const text = notification.body === undefined ? '' : JSON.stringify(notification.body);
	const request = {
		body: notification.body ?? {},
		query: notification.query ?? {},
		headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...notification.headers },
		rawBody: Buffer.from(text),
		params: {},
	};
	const answer: TriggerAnswer = { status: undefined, body: undefined, headers: {}, emitted: undefined };
	const response = {
		setHeader: (name: string, value: string) => void (answer.headers[name.toLowerCase()] = value),
		status(code: number) {
			answer.status = code;
			return response;
		},
		json(body: unknown) {
			answer.body = body;
			return response;
		},
	};
	const additionalData = { credentialsHelper: credentials, httpRequest: request, httpResponse: response, variables: {} } as unknown as IWorkflowExecuteAdditionalData;
	const webhookData = { httpMethod: 'POST', node: node.name, path: 'webhook', webhookDescription: { name: 'default', httpMethod: 'POST', path: 'webhook' }, workflowId: workflow.id } as unknown as IWebhookData;
	const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
	const result: IWebhookResponseData = await new LetpayTrigger().webhook.call(context);
	answer.emitted = result.workflowData?.[0]?.map((item) => item.json);
	return answer;
}
