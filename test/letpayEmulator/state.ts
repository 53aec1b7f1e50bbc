import { randomUUID } from 'node:crypto';

import { Notifier } from './notifications';
import { toCents } from './requestBody';
import type { CaptureRecord, ControlledStatus, EmulatorOptions, Fault, PreAuthorization, RequestRecord } from './types';

interface AccessToken {
	merchantId: string;
	expiresAt: number;
}

export interface Payment {
	paymentToken: string;
	authorizedCents: number;
	merchantId: string;
	refusePartialCapture: boolean;
	reference?: string;
	currency: string;
	status?: 'DECLINED' | 'CANCELED' | ControlledStatus;
	refundedCents: number;
	createdAt: number;
	expired: boolean;
	notificationUrl?: string;
	declineCapture: boolean;
	/** Its PAID or DECLINED notification went out: look-ups show that from now on. */
	settled: boolean;
}

export type StateOptions = Required<Omit<EmulatorOptions, 'tls' | 'notificationUrl'>> & Pick<EmulatorOptions, 'notificationUrl'>;

/** Everything Letpay would remember between requests, and what tests read afterwards. */
export class LetpayState {
	readonly accessTokens = new Map<string, AccessToken>();
	readonly payments = new Map<string, Payment>();
	readonly captures: CaptureRecord[] = [];
	/** The same captures by payment token: a scan of the whole ledger per request is O(n²) in a benchmark. */
	private readonly capturesByToken = new Map<string, CaptureRecord[]>();
	readonly requests: RequestRecord[] = [];
	readonly issuedAccessTokens: string[] = [];
	readonly faults = new Map<string, Fault[]>();
	/** Faults for look-ups, by payment token or reference. */
	readonly lookupFaults = new Map<string, Fault[]>();
	authFaults: Fault[] = [];
	authCalls = 0;
	/** Injected faults that met a request. */
	faultsServed = 0;
	capturesInFlight = 0;
	maxCapturesInFlight = 0;
	/** TCP connections clients opened since the last forgetPayments(): keep-alive reuse shows here. */
	connectionsOpened = 0;

	readonly notifier = new Notifier(this);

	constructor(readonly options: StateOptions) {}

	now(): number {
		return this.options.now();
	}

	reset() {
		this.forgetPayments();
		this.accessTokens.clear();
		this.issuedAccessTokens.length = 0;
		this.authFaults = [];
		this.authCalls = 0;
		this.faultsServed = 0;
	}

	forgetPayments() {
		this.payments.clear();
		this.faults.clear();
		this.lookupFaults.clear();
		this.captures.length = 0;
		this.capturesByToken.clear();
		this.requests.length = 0;
		this.maxCapturesInFlight = 0;
		this.connectionsOpened = 0;
		this.notifier.reset();
	}

	merchantFor(apiKey: string, apiSecret: string): string | undefined {
		const pair = this.options.apiKeys.find((k) => k.apiKey === apiKey && k.apiSecret === apiSecret);
		return pair ? (pair.merchantId ?? 'merchant-1') : undefined;
	}

	issueAccessToken(merchantId: string): string {
		const token = randomUUID();
		if (this.options.accessTokens === 'newest-only') {
			for (const [earlier, entry] of this.accessTokens) if (entry.merchantId === merchantId) this.accessTokens.delete(earlier);
		}
		this.accessTokens.set(token, { merchantId, expiresAt: this.now() + this.options.tokenTtlSeconds * 1000 });
		this.issuedAccessTokens.push(token);
		return token;
	}

	/** The merchant behind a live access token, or undefined (missing, unknown or expired). */
	authenticate(token: string | undefined): string | undefined {
		const entry = token ? this.accessTokens.get(token) : undefined;
		return entry && entry.expiresAt > this.now() ? entry.merchantId : undefined;
	}

	/** Letpay: "Updated access token for next calls". */
	refreshToken(token: string): string {
		const entry = this.accessTokens.get(token);
		// A request let in before its token expired and answered after: the token stays expired.
		if (!entry || entry.expiresAt <= this.now()) return token;
		if (this.options.refreshTokenMode === 'rotate') return this.issueAccessToken(entry.merchantId);
		entry.expiresAt = this.now() + this.options.tokenTtlSeconds * 1000;
		return token;
	}

	expireAccessTokens() {
		for (const entry of this.accessTokens.values()) entry.expiresAt = Number.NEGATIVE_INFINITY;
	}

	/** The payment a token in a request path names: the key of its pre-authorization. */
	paymentKey(paymentToken: string): string {
		return this.options.paymentTokenMatching === 'case-insensitive' ? paymentToken.toLowerCase() : paymentToken;
	}

	preAuthorize(preAuthorization: PreAuthorization) {
		this.payments.set(this.paymentKey(preAuthorization.paymentToken), {
			paymentToken: preAuthorization.paymentToken,
			authorizedCents: toCents(preAuthorization.amount),
			merchantId: preAuthorization.merchantId ?? this.options.apiKeys[0]?.merchantId ?? 'merchant-1',
			refusePartialCapture: preAuthorization.refusePartialCapture ?? false,
			reference: preAuthorization.reference,
			currency: preAuthorization.currency ?? 'BRL',
			status: preAuthorization.status,
			refundedCents: preAuthorization.refundedAmount === undefined ? 0 : toCents(preAuthorization.refundedAmount),
			createdAt: this.now(),
			expired: preAuthorization.expired === true,
			notificationUrl: preAuthorization.notificationUrl,
			declineCapture: preAuthorization.declineCapture === true,
			settled: false,
		});
		if (preAuthorization.capturedBefore !== undefined) {
			this.recordCapture(preAuthorization.paymentToken, toCents(preAuthorization.capturedBefore), this.now() - 86_400_000);
		}
	}

	/** Fault queues are kept per payment (as Letpay matches tokens), so every spelling of one meets them. */
	faultsFor<T = Fault>(queues: Map<string, T[]>, tokenOrReference: string): T[] {
		const key = this.paymentKey(tokenOrReference);
		const queue = queues.get(key) ?? [];
		queues.set(key, queue);
		return queue;
	}

	queueFault<T>(queue: T[], fault: T, times: number) {
		for (let i = 0; i < times; i++) queue.push(fault);
	}

	/** A capture Letpay accepted (whatever its answer then looked like): into the ledger, and the payment's first one is a status change. */
	acceptCapture(paymentToken: string, amountCents: number) {
		const first = this.capturesOf(paymentToken).length === 0;
		this.recordCapture(paymentToken, amountCents);
		const payment = this.payments.get(this.paymentKey(paymentToken));
		// A later partial capture (repeatCaptures 'allow') changes no status: Letpay has nothing to say.
		if (first && payment) this.notifier.captureAccepted(payment);
	}

	/** What a refund, a cancellation or a dispute outside the API does to a payment. */
	setStatus(paymentToken: string, status: ControlledStatus, options: { refundedAmount?: number | string } = {}) {
		const payment = this.payments.get(this.paymentKey(paymentToken));
		if (!payment) throw new Error(`No pre-authorized payment ${paymentToken}`);
		payment.status = status;
		// A refund without an amount gives back everything captured.
		if (options.refundedAmount !== undefined) payment.refundedCents = toCents(options.refundedAmount);
		else if (status === 'REFUNDED') payment.refundedCents = this.capturedCents(paymentToken);
		this.notifier.statusChanged(payment, status);
	}

	capturedCents(paymentToken: string): number {
		return this.capturesOf(paymentToken).reduce((sum, capture) => sum + capture.amountCents, 0);
	}

	capturesOf(paymentToken: string): CaptureRecord[] {
		return [...(this.capturesByToken.get(this.paymentKey(paymentToken)) ?? [])];
	}

	/** Recorded under the payment's key, so that case variants of one payment add up. */
	recordCapture(paymentToken: string, amountCents: number, at = this.now()) {
		const key = this.paymentKey(paymentToken);
		const record = { paymentToken: key, amountCents, at: new Date(at).toISOString() };
		this.captures.push(record);
		this.capturesByToken.set(key, [...(this.capturesByToken.get(key) ?? []), record]);
	}
}
