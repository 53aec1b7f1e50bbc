import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { statusFilter } from './notification';
import { handleNotification, SECRET_PARAMETER } from './webhook';

/** Letpay's transaction statuses, as its look-up shows them. */
const STATUSES = ['PRE_AUTHORIZED', 'PROCESSING', 'PAID', 'DECLINED', 'CANCELED', 'REFUNDED', 'DISPUTE'];

export class LetpayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Letpay Trigger',
		name: 'letpayTrigger',
		icon: { light: 'file:../../icons/letpay.svg', dark: 'file:../../icons/letpay.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Payment status changed',
		description: "Starts the workflow when a Letpay payment's status changes, as Letpay's look-up shows it",
		defaults: { name: 'Letpay Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'letpayApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					"Put this trigger's Production URL in the notification_url of the payments your shop creates (POST /token). Nothing a notification says is trusted: the payment is looked up in Letpay, and Letpay's answer is what the workflow gets.",
				name: 'notificationNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				options: [{ name: 'Payment Status Changed', value: 'paymentStatusChanged' }],
				default: 'paymentStatusChanged',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: STATUSES.map((status) => ({ name: status, value: status })),
				default: [],
				description: 'Which statuses start the workflow, as the look-up shows them. Empty: every status.',
			},
			{
				displayName: 'Simplify',
				name: 'simple',
				type: 'boolean',
				default: true,
				description: 'Whether to return a simplified version of the response instead of the raw data',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Notification Body',
						name: 'includeNotificationBody',
						type: 'boolean',
						default: false,
						description: 'Whether to add the body of the notification (without anything that could be a token) as notification.body. It is what the caller said, not what Letpay shows.',
					},
					{
						displayName: 'Look-Ups per Minute',
						name: 'lookupsPerMinute',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10000 },
						default: 60,
						description: 'At most this many notifications a minute are looked up in Letpay; more are answered 429. Callers that pass the Shared Secret are not counted.',
					},
					{
						displayName: 'Payment Field',
						name: 'paymentField',
						type: 'string',
						default: '',
						placeholder: 'e.g. data.attributes.payment',
						description: "Where the notification holds the payment's token, as a dotted path. Empty: payment_token, paymentToken or token, at the top or one level down, or in the query.",
					},
					{
						displayName: 'Settle Window (Ms)',
						name: 'settleWindow',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 60000 },
						default: 10000,
						description: "How long to keep looking the payment up while Letpay shows an earlier status than the notification claims (Letpay's look-ups can lag)",
					},
					{
						displayName: 'Shared Secret',
						name: 'sharedSecret',
						type: 'string',
						typeOptions: { password: true },
						default: '',
						description: `A value you append to the notification URL as ?${SECRET_PARAMETER}=...; a notification without it is refused (401) and not looked up. Once added, it guards the URL even if it is left empty or its expression gives nothing: then every notification is refused.`,
					},
				],
			},
		],
	};

	/*
	 * Letpay has no webhook registration: the URL travels with each payment (its notification_url,
	 * set by the shop when it creates the payment). There is nothing to create, check or delete.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const number = (value: unknown, fallback: number, min: number, max: number) => Math.min(max, Math.max(min, typeof value === 'number' && Number.isFinite(value) ? value : fallback));
		const secret = options.sharedSecret;
		return await handleNotification(this, {
			statuses: statusFilter(this.getNodeParameter('statuses', [])),
			simplify: this.getNodeParameter('simple', true) !== false,
			paymentField: typeof options.paymentField === 'string' ? options.paymentField : '',
			settleWindowMs: number(options.settleWindow, 10_000, 0, 60_000),
			// Added as an option, the secret guards the URL whatever it resolved to: nothing, or a number.
			sharedSecret: Object.hasOwn(options, 'sharedSecret') ? (typeof secret === 'string' || typeof secret === 'number' ? String(secret) : '') : undefined,
			includeNotificationBody: options.includeNotificationBody === true,
			lookupsPerMinute: number(options.lookupsPerMinute, 60, 1, 10_000),
		});
	}
}
