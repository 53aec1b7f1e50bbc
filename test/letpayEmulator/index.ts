import type { AddressInfo } from 'node:net';

import type { Outgoing } from './notifications';
import { createLetpayServer } from './server';
import { LetpayState } from './state';
import type { CaptureRecord, ControlledStatus, EmulatorOptions, Fault, NotificationFault, NotificationRecord, NotifyOptions, PreAuthorization, RequestRecord } from './types';

export type { CaptureRecord, ControlledStatus, EmulatorOptions, Fault, NotificationFault, NotificationRecord, NotificationShape, NotifyOptions, PreAuthorization, RequestRecord } from './types';
export { QUOTED_AUTH_TOKEN } from './types';

export const DEFAULT_API_KEY = { apiKey: 'sandbox-key', apiSecret: 'sandbox-secret', merchantId: 'merchant-1' };

export interface LetpayEmulator {
	/** e.g. http://127.0.0.1:41234 (no trailing slash) */
	readonly url: string;
	preAuthorize(preAuthorization: PreAuthorization): void;
	/** Faults are used up in order by the capture requests for that payment (in any spelling Letpay matches). */
	injectFault(paymentToken: string, fault: Fault, times?: number): void;
	injectAuthFault(fault: Fault, times?: number): void;
	/** Faults used up in order by the look-ups of that payment token or reference. */
	injectLookupFault(tokenOrReference: string, fault: Fault, times?: number): void;
	/** Every access token issued so far is expired now (five minutes have passed). */
	expireAccessTokens(): void;
	/** Another API key pair Letpay accepts (for merchant-1 unless said otherwise). */
	addApiKey(pair: { apiKey: string; apiSecret: string; merchantId?: string }): void;
	capturesOf(paymentToken: string): CaptureRecord[];
	allCaptures(): CaptureRecord[];
	readonly authCalls: number;
	/** Injected faults that met a request so far. */
	readonly faultsServed: number;
	/** The most capture requests that were open at the same time since the last reset. */
	readonly maxCapturesInFlight: number;
	/** TCP connections opened by clients since the last forgetPayments()/reset(). */
	readonly connectionsOpened: number;
	/** Client connections open right now (idle keep-alive sockets included). */
	readonly openConnections: number;
	readonly issuedAccessTokens: string[];
	/** Every Letpay request received, in order. */
	readonly requests: RequestRecord[];
	/** A refund, cancellation or dispute made outside the API; notified like any status change. */
	setStatus(paymentToken: string, status: ControlledStatus, options?: { refundedAmount?: number | string }): void;
	/**
	 * Sends a notification by hand: Letpay's body for the payment now (or with `status`), or any
	 * `body`, to any `url`. Goes through the payment's notification faults like Letpay's own.
	 * Resolves with the records of what was sent (none if held).
	 */
	notify(paymentToken: string, options?: NotifyOptions): Promise<NotificationRecord[]>;
	/** Faults used up in order by the payment's next notifications. */
	injectNotificationFault(paymentToken: string, fault: NotificationFault, times?: number): void;
	/** Notifications a `hold` fault kept back, oldest first. */
	readonly heldNotifications: readonly Outgoing[];
	/** Sends the held notifications one after another, newest first unless told otherwise. */
	releaseNotifications(order?: 'newest-first' | 'oldest-first'): Promise<NotificationRecord[]>;
	/** Resolves once no notification is being sent or waiting out a `late` delay. */
	notificationsIdle(): Promise<void>;
	/** Every notification sent, in order; a record is completed (result, statusCode, error) when answered. */
	readonly notifications: NotificationRecord[];
	/** Forgets payments, ledger, faults, tokens, counters and notifications; keeps the API keys and options. */
	reset(): void;
	/** Forgets payments, ledger, faults, the request and notification logs, pending notifications, but keeps issued access tokens. */
	forgetPayments(): void;
	/** Changes token lifetime or refresh_token mode for the requests to come. */
	configure(
		options: Pick<
			EmulatorOptions,
						| 'tokenTtlSeconds'
			| 'refreshTokenMode'
			| 'repeatCaptures'
			| 'captureLatencyMs'
			| 'accessTokens'
			| 'paymentTokenMatching'
			| 'paidAfterMs'
			| 'lookupLagMs'
			| 'expireTokensAfterRequests'
			| 'notificationUrl'
			| 'notificationShape'
			| 'notificationTimeoutMs'
		>,
	): void;
	/** Closes client connections that sit idle between requests (keep-alive), as a server restart would. */
	closeIdleConnections(): void;
	/** Closes the server and destroys open (also hung) connections. */
	close(): Promise<void>;
}

/** A stand-in for Letpay's sandbox: a real HTTP server on 127.0.0.1. */
export async function startLetpayEmulator(options: EmulatorOptions = {}): Promise<LetpayEmulator> {
	const state = new LetpayState({
		port: options.port ?? 0,
		tokenTtlSeconds: options.tokenTtlSeconds ?? 300,
		refreshTokenMode: options.refreshTokenMode ?? 'same',
		repeatCaptures: options.repeatCaptures ?? 'refuse',
		accessTokens: options.accessTokens ?? 'all-live',
		paymentTokenMatching: options.paymentTokenMatching ?? 'exact',
		paidAfterMs: options.paidAfterMs ?? 60_000,
		lookupLagMs: options.lookupLagMs ?? 0,
		captureLatencyMs: options.captureLatencyMs ?? 0,
		expireTokensAfterRequests: options.expireTokensAfterRequests ?? Infinity,
		apiKeys: [...(options.apiKeys ?? [DEFAULT_API_KEY])],
		now: options.now ?? Date.now,
		notificationUrl: options.notificationUrl,
		notificationShape: options.notificationShape ?? 'flat',
		notificationTimeoutMs: options.notificationTimeoutMs ?? 2_000,
	});
	const { server, sockets } = createLetpayServer(state, options.tls);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(state.options.port, '127.0.0.1', resolve);
	});
	const { port } = server.address() as AddressInfo;

	return {
		url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
		preAuthorize: (preAuthorization) => state.preAuthorize(preAuthorization),
		injectFault: (paymentToken, fault, times = 1) => state.queueFault(state.faultsFor(state.faults, paymentToken), fault, times),
		injectAuthFault: (fault, times = 1) => state.queueFault(state.authFaults, fault, times),
		injectLookupFault: (key, fault, times = 1) => state.queueFault(state.faultsFor(state.lookupFaults, key), fault, times),
		expireAccessTokens: () => state.expireAccessTokens(),
		addApiKey: (pair) => state.options.apiKeys.push({ merchantId: DEFAULT_API_KEY.merchantId, ...pair }),
		capturesOf: (paymentToken) => state.capturesOf(paymentToken),
		allCaptures: () => [...state.captures],
		get authCalls() {
			return state.authCalls;
		},
		get faultsServed() {
			return state.faultsServed;
		},
		get maxCapturesInFlight() {
			return state.maxCapturesInFlight;
		},
		get connectionsOpened() {
			return state.connectionsOpened;
		},
		get openConnections() {
			return sockets.size;
		},
		issuedAccessTokens: state.issuedAccessTokens,
		requests: state.requests,
		setStatus: (paymentToken, status, changes) => state.setStatus(paymentToken, status, changes),
		notify: (paymentToken, notifyOptions) => state.notifier.notify(paymentToken, notifyOptions),
		injectNotificationFault: (paymentToken, fault, times = 1) => state.queueFault(state.faultsFor(state.notifier.faults, paymentToken), fault, times),
		heldNotifications: state.notifier.held,
		releaseNotifications: (order = 'newest-first') => state.notifier.release(order),
		notificationsIdle: () => state.notifier.idle(),
		notifications: state.notifier.log,
		reset: () => state.reset(),
		forgetPayments: () => state.forgetPayments(),
		configure: (changes) => {
			for (const [key, value] of Object.entries(changes)) {
				if (value !== undefined) Object.assign(state.options, { [key]: value });
			}
		},
		closeIdleConnections: () => server.closeIdleConnections(),
		close: () =>
			new Promise<void>((resolve) => {
				state.notifier.stop();
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}
