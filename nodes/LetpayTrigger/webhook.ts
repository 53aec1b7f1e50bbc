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
const lookups = new OneAtATime<Settling>();
const rateLimit = new RateLimit();

export interface TriggerSettings {
	/** undefined: every status (see statusFilter). */
	statuses: Set<string> | undefined;
	simplify: boolean;
	paymentField: string;
	settleWindowMs: number;
	/** undefined: no secret; '' or any value: callers must pass it (a secret that resolved to nothing refuses every caller). */
	sharedSecret: string | undefined;
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

/**
 * The body's size as n8n read it: `rawBody` is what it decoded (a gzip body is unzipped, so its
 * Content-Length says nothing); without it, the declared length, else the parsed body's text.
 */
function bodySize(ctx: IWebhookFunctions): number {
	const request = ctx.getRequestObject() as { rawBody?: { length: number }; headers?: Record<string, unknown> };
	if (request.rawBody !== undefined) return request.rawBody.length;
	const declared = Number(request.headers?.['content-length']);
	if (Number.isFinite(declared)) return declared;
	try {
		return JSON.stringify(ctx.getBodyData() ?? {}).length;
	} catch {
		return Number.POSITIVE_INFINITY;
	}
}

/** The credential's values and the account's tokens: never in an emitted notification body. */
async function credentialSecrets(ctx: IWebhookFunctions): Promise<string[]> {
	const credentials = await ctx.getCredentials('letpayApi').catch(() => ({}) as IDataObject);
	return [credentials.apiKey, credentials.apiSecret, credentials.accessToken].filter((value): value is string => typeof value === 'string');
}

/** A payment's look-ups for one notification: the first answers the caller, the last is what is emitted. */
interface Settling {
	first: Promise<LookupResult>;
	last: Promise<LookupResult>;
}

/**
 * The first look-up answers the caller (200 or 503) at once, whatever follows: a payment that
 * exists must not be told apart by a slower answer. Then, while Letpay shows an earlier stage than
 * the notification claims (its look-ups can lag behind its notifications), looks again with
 * backoff within the Settle Window; each extra look-up counts against the rate limit.
 */
function startSettling(ctx: IWebhookFunctions, paymentToken: string, claimed: string | null, settings: TriggerSettings, mayLookUp: () => boolean): Settling {
	const client = createLetpayClient(ctx);
	const lookUp = async () => await lookUpPayment(await client, paymentToken, { timeoutMs: LOOKUP_TIMEOUT_MS, maxRetries: 1 });
	const first = lookUp();
	const last = (async () => {
		const giveUpAt = Date.now() + settings.settleWindowMs;
		let latest = await first;
		for (let pause = FIRST_PAUSE_MS; latest.ok && isEarlierThan(latest.details.transactionStatus, claimed); pause *= 2) {
			if (Date.now() + pause > giveUpAt || !mayLookUp()) break;
			await sleep(pause);
			const next = await lookUp();
			// A look-up that fails while settling leaves the last state Letpay showed.
			if (!next.ok) break;
			latest = next;
		}
		return latest;
	})();
	// The client may fail (no credential): `first` carries that; `last` must not be an unhandled rejection.
	last.catch(() => undefined);
	return { first, last };
}

export async function handleNotification(ctx: IWebhookFunctions, settings: TriggerSettings): Promise<IWebhookResponseData> {
	const receivedAt = new Date().toISOString();
	if (bodySize(ctx) > MAX_BODY_BYTES) return respond(ctx, 400, { error: 'The notification is larger than 64 KB' });
	const query = (ctx.getQueryData() ?? {}) as IDataObject;
	const guarded = settings.sharedSecret !== undefined;
	const trusted = guarded && settings.sharedSecret !== '' && sameSecret(query[SECRET_PARAMETER], settings.sharedSecret!);
	if (guarded && !trusted) return respond(ctx, 401, { error: 'Wrong or missing secret' });

	const body = ctx.getBodyData();
	const found = findPayment(body, query, settings.paymentField);
	if (!found.found) {
		return respond(ctx, 400, { error: found.reason === 'conflict' ? 'The notification names two different payments' : 'The notification names no payment' });
	}
	// Two Letpay Triggers of one workflow may use two credentials: each keeps its own memory and limit.
	const scope = `${ctx.getWorkflow().id ?? ''}\u0000${ctx.getNode().id}`;
	const mayLookUp = () => trusted || rateLimit.allow(scope, settings.lookupsPerMinute);
	// Forged notifications must not become a flood of requests to Letpay; callers with the secret are known.
	if (!mayLookUp()) return respond(ctx, 429, { error: 'Too many notifications' }, { 'Retry-After': '60' });

	const claimed = claimedStatus(body);
	// Shared only by notifications that claim the same: one that claims more settles on its own.
	const key = `${scope}\u0000${paymentKey(found.paymentToken)}\u0000${claimed ?? ''}`;
	const settling = lookups.run(key, () => startSettling(ctx, found.paymentToken, claimed, settings, mayLookUp), async (work) => await work.last);
	const first = await settling.first;
	if (!first.ok) {
		const notOurs = first.report.letpay.codes.some((code) => NOT_A_PAYMENT_OF_OURS.includes(code));
		return notOurs ? handled(ctx) : respond(ctx, 503, { error: 'The payment could not be looked up in Letpay; send the notification again later' });
	}
	handled(ctx);
	const last = await settling.last;
	if (!last.ok) return { noWebhookResponse: true };
	const { details } = last;
	if (settings.statuses !== undefined && !settings.statuses.has(details.transactionStatus ?? '')) return { noWebhookResponse: true };
	const state = [details.transactionStatus, details.capturedAmount, details.refundedAmount].join('|');
	if (!emitted.isNew(scope, paymentKey(found.paymentToken), state)) return { noWebhookResponse: true };

	const notification: IDataObject = { receivedAt, claimedStatus: claimed };
	if (settings.includeNotificationBody) notification.body = withoutTokenLikeValues(body, [found.paymentToken, ...(await credentialSecrets(ctx))]) as IDataObject;
	return { noWebhookResponse: true, workflowData: [[{ json: { ...paymentItem(details, settings.simplify), notification } }]] };
}
