import { sleep, type IDataObject, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';

import { lookUpPayment, paymentItem, type LookupResult } from '../Letpay/actions/payment/lookup';
import { createLetpayClient } from '../Letpay/transport/letpayClient';
import { paymentKey } from '../Letpay/validation/input';
import { EmittedStates, OneAtATime, RateLimit } from './memory';
import { claimedStatus, findPayment, isEarlierThan, sameSecret, withoutTokenLikeValues } from './notification';

/*
 * One notification, from whoever sent it: nothing it says is trusted. The payment it names is
 * looked up in Letpay, and only Letpay's answer is emitted. Every answer is written here (the
 * webhook's response mode leaves it to the node) and never echoes the body, a token or a
 * credential value: a prober learns nothing about which payments exist.
 */

const MAX_BODY_BYTES = 64 * 1024;
const LOOKUP_TIMEOUT_MS = 10_000;
const FIRST_PAUSE_MS = 500;
/** The query parameter that carries the Shared Secret. */
export const SECRET_PARAMETER = 'secret';

/** Look-up answers that say the payment is not this merchant's, or does not exist: never told apart from a handled one. */
const NOT_A_PAYMENT_OF_OURS = ['00.01.0013', '00.01.0038', '01.04.0012', '00.04.0002', '00.04.0005'];

const emitted = new EmittedStates();
const lookups = new OneAtATime<LookupResult>();
const rateLimit = new RateLimit();

export interface TriggerSettings {
	statuses: string[];
	simplify: boolean;
	paymentField: string;
	settleWindowMs: number;
	sharedSecret: string;
	includeNotificationBody: boolean;
	lookupsPerMinute: number;
}

function respond(ctx: IWebhookFunctions, status: number, body: IDataObject, headers: Record<string, string> = {}): IWebhookResponseData {
	const response = ctx.getResponseObject();
	for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
	response.status(status).json(body);
	return { noWebhookResponse: true };
}

const handled = (ctx: IWebhookFunctions) => respond(ctx, 200, { received: true });

function bodySize(ctx: IWebhookFunctions): number {
	const request = ctx.getRequestObject() as { rawBody?: { length: number }; headers?: Record<string, unknown> };
	const declared = Number(request.headers?.['content-length']);
	if (Number.isFinite(declared)) return declared;
	return request.rawBody?.length ?? JSON.stringify(ctx.getBodyData() ?? {}).length;
}

/**
 * Looks the payment up; while Letpay shows an earlier stage than the notification claims (its
 * look-ups can lag behind its notifications), looks again with backoff within the Settle Window.
 */
async function settledLookup(ctx: IWebhookFunctions, paymentToken: string, claimed: string | null, settleWindowMs: number): Promise<LookupResult> {
	const client = await createLetpayClient(ctx);
	const giveUpAt = Date.now() + settleWindowMs;
	for (let pause = FIRST_PAUSE_MS; ; pause *= 2) {
		const result = await lookUpPayment(client, paymentToken, { timeoutMs: LOOKUP_TIMEOUT_MS, maxRetries: 1 });
		const lagging = result.ok && isEarlierThan(result.details.transactionStatus, claimed);
		if (!lagging || Date.now() + pause > giveUpAt) return result;
		await sleep(pause);
	}
}

export async function handleNotification(ctx: IWebhookFunctions, settings: TriggerSettings): Promise<IWebhookResponseData> {
	const receivedAt = new Date().toISOString();
	if (bodySize(ctx) > MAX_BODY_BYTES) return respond(ctx, 400, { error: 'The notification is larger than 64 KB' });
	const query = (ctx.getQueryData() ?? {}) as IDataObject;
	const trusted = settings.sharedSecret !== '' && sameSecret(query[SECRET_PARAMETER], settings.sharedSecret);
	if (settings.sharedSecret !== '' && !trusted) return respond(ctx, 401, { error: 'Wrong or missing secret' });

	const body = ctx.getBodyData();
	const found = findPayment(body, query, settings.paymentField);
	if (!found.found) {
		return respond(ctx, 400, { error: found.reason === 'conflict' ? 'The notification names two different payments' : 'The notification names no payment' });
	}
	const scope = ctx.getWorkflow().id ?? ctx.getNode().id;
	// Forged notifications must not become a flood of requests to Letpay; callers with the secret are known.
	if (!trusted && !rateLimit.allow(scope, settings.lookupsPerMinute)) return respond(ctx, 429, { error: 'Too many notifications' }, { 'Retry-After': '60' });

	const claimed = claimedStatus(body);
	const key = `${scope}\u0000${paymentKey(found.paymentToken)}`;
	const lookup = await lookups.run(key, async () => await settledLookup(ctx, found.paymentToken, claimed, settings.settleWindowMs));
	if (!lookup.ok) {
		const notOurs = lookup.report.letpay.codes.some((code) => NOT_A_PAYMENT_OF_OURS.includes(code));
		return notOurs ? handled(ctx) : respond(ctx, 503, { error: 'The payment could not be looked up in Letpay; send the notification again later' });
	}
	const { details } = lookup;
	if (settings.statuses.length > 0 && !settings.statuses.includes(details.transactionStatus ?? '')) return handled(ctx);
	const state = [details.transactionStatus, details.capturedAmount, details.refundedAmount].join('|');
	if (!emitted.isNew(scope, paymentKey(found.paymentToken), state)) return handled(ctx);

	const notification: IDataObject = { receivedAt, claimedStatus: claimed };
	if (settings.includeNotificationBody) notification.body = withoutTokenLikeValues(body) as IDataObject;
	handled(ctx);
	return { noWebhookResponse: true, workflowData: [[{ json: { ...paymentItem(details, settings.simplify), notification } }]] };
}
