export interface EmulatorOptions {
	/** Default 0: the system picks a free port. */
	port?: number;
	/** Access-token lifetime; Letpay: 5 minutes. */
	tokenTtlSeconds?: number;
	/**
	 * `same`: refresh_token is the caller's token with a renewed expiry; `rotate`: a new token (the
	 * old one lives on until it expires). An answer given after the caller's token expired (it was
	 * let in before) renews nothing: refresh_token is the caller's expired token, in both modes.
	 */
	refreshTokenMode?: 'same' | 'rotate';
	apiKeys?: Array<{ apiKey: string; apiSecret: string; merchantId?: string }>;
	/**
	 * A second capture of the same payment: `refuse` answers 422 01.05.0003 (API-NOTES' assumption);
	 * `allow` accepts partial captures while their sum stays within the pre-authorized amount, the
	 * case where resending a capture really takes the money twice.
	 */
	repeatCaptures?: 'refuse' | 'allow';
	/**
	 * Letpay does not say whether a new access token revokes the older ones. `all-live`: every
	 * token lives its five minutes; `newest-only`: issuing a token (by /auth or a rotating
	 * refresh_token) revokes the merchant's earlier ones, so needless sign-ins cancel each other.
	 */
	accessTokens?: 'all-live' | 'newest-only';
	/**
	 * Payment tokens are UUIDs; whether Letpay matches them case-insensitively is not documented.
	 * `case-insensitive` makes `8F04...` the same payment as `8f04...` (the dangerous reading).
	 */
	paymentTokenMatching?: 'exact' | 'case-insensitive';
	/** A captured payment shows PROCESSING, then PAID this long after the capture. Default 60 s. */
	paidAfterMs?: number;
	/**
	 * How long a capture stays invisible to look-ups (the payment still shows PRE_AUTHORIZED): the
	 * race that makes "resend when the look-up says not captured" dangerous. Default 0.
	 */
	lookupLagMs?: number;
	/** Added to every capture answer, like Letpay's real latency (benchmarks). */
	captureLatencyMs?: number;
	/**
	 * Once the emulator has logged this many requests, every access token issued so far expires
	 * (once): five minutes pass in the middle of a run. Default never.
	 */
	expireTokensAfterRequests?: number;
	/** Clock in ms, used for token expiry and timestamps. */
	now?: () => number;
	/** Serve HTTPS with this key and certificate (PEM), as real Letpay does. */
	tls?: { key: string; cert: string };
	/** Letpay's `notification_url` for payments pre-authorized without their own. Default none. */
	notificationUrl?: string;
	/** Letpay does not document its notification body: see NotificationShape. Default `flat`. */
	notificationShape?: NotificationShape;
	/** How long a notification URL has to answer before the call counts as failed (00.03.0005). Default 2000. */
	notificationTimeoutMs?: number;
}

/**
 * The notification body, unknown for Letpay, so a trigger must read both: `flat` is snake_case
 * with the names of Letpay's look-ups; `nested` is an event envelope with camelCase data.
 */
export type NotificationShape = 'flat' | 'nested';

/** Statuses a test sets on a payment (emulator.setStatus): what happens after a capture, outside the API. */
export type ControlledStatus = 'REFUNDED' | 'CANCELED' | 'DISPUTE';

export interface PreAuthorization {
	paymentToken: string;
	amount: number | string;
	merchantId?: string;
	/** Some acquirers refuse partial captures (Letpay 01.05.0006). */
	refusePartialCapture?: boolean;
	/** The merchant's order reference (Letpay `reference_id`, at most 45 characters). */
	reference?: string;
	/** Default BRL. */
	currency?: string;
	/** A payment that is no longer pre-authorized: captures are refused (00.04.0012). */
	status?: 'DECLINED' | 'CANCELED';
	/** Already refunded, e.g. '5.00'. */
	refundedAmount?: number | string;
	/**
	 * The pre-authorization ran out (Letpay: "Pre-auth cancelation has a TTL of 5 days"): a capture
	 * is refused with 01.05.0003 ("Capture already performed or expired"), look-ups show CANCELED.
	 */
	expired?: boolean;
	/** Captured a day before, e.g. '5.00': a payment the merchant captured (in part) earlier. */
	capturedBefore?: number | string;
	/** Letpay `notification_url`: called when the payment's status changes (any query string is kept). */
	notificationUrl?: string;
	/** A capture is accepted (PROCESSING) but ends DECLINED instead of PAID, `paidAfterMs` later. */
	declineCapture?: boolean;
}

/**
 * In an `answer` or `letpay-error` fault, this text is replaced by the X-Auth-Token the request
 * carried: a Letpay that quotes the caller's live token back in a message.
 */
export const QUOTED_AUTH_TOKEN = '{x-auth-token}';

/** `captured: true` means Letpay did capture before the fault hit the answer. */
export type Fault =
	| { kind: 'bad-gateway'; captured?: boolean }
	| { kind: 'latency'; ms: number }
	| { kind: 'html'; status: number; captured?: boolean }
	| { kind: 'empty'; status: number; captured?: boolean }
	| { kind: 'invalid-json'; status: number; captured?: boolean }
	| { kind: 'reset-before-read' }
	| { kind: 'reset-after-capture' }
	| { kind: 'hang'; captured?: boolean }
	| { kind: 'rate-limit'; retryAfterSeconds: number }
	/** A plain 401 (no code): Letpay refused the token and processed nothing. */
	| { kind: 'unauthorized' }
	| { kind: 'letpay-error'; status: number; code: string; message: string; captured?: boolean }
	/** Any JSON answer, e.g. a 200 whose transaction_status is DECLINED; a string is sent as it is (JSON too deep to build here). */
	| { kind: 'answer'; status: number; body: Record<string, unknown> | string; captured?: boolean }
	/** A 3xx to `location` (absolute, or a path on the emulator). */
	| { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; location: string; captured?: boolean }
	/** Headers at once, then the body one byte per `intervalMs`; `endless` never finishes it. */
	| { kind: 'trickle'; intervalMs: number; endless?: boolean; captured?: boolean };

export interface CaptureRecord {
	paymentToken: string;
	amountCents: number;
	at: string;
}

export interface RequestRecord {
	method: string;
	path: string;
	status: number | 'reset' | 'hang';
	authToken?: string;
	body: string;
	/** The `X-Test-Execution` header: which test execution sent it (set by the test credential helper). */
	execution?: string;
	/** The `X-Test-Process` header a sign-in carries: which test "n8n process" signed in. */
	process?: string;
	/**
	 * Letpay read the request and applied its rules (whatever the answer then looked like). False
	 * for a reset before the body was read, a refused token (plain 401) and a 429.
	 */
	reached: boolean;
	/** Letpay took the money for it (a ledger entry), whatever the caller was told. */
	captured: boolean;
	/** When Letpay decided on it (Date.now()): the log's order, made readable in a trace. */
	at: number;
	/**
	 * A new access token Letpay issued for this request (refresh_token) that its answer, as it went
	 * out, did not carry (an HTML error page, a reset, a hang...). When Letpay keeps only its newest
	 * token, nobody holds a valid token after it: a sign-in is then the only way on.
	 */
	lostToken?: string;
}

/**
 * What happens to a payment's next notification (queued per payment, used up in order). Letpay
 * documents no retry schedule or ordering, so a trigger must cope with each.
 */
export type NotificationFault =
	/** Sent `count` times in all, one after another (a retry), or all at once (`concurrent`: a race). */
	| { kind: 'duplicate'; count: number; concurrent?: boolean }
	/** Sent `ms` after the status changed, with the body it had then. */
	| { kind: 'late'; ms: number }
	/** Kept back until releaseNotifications(): sent in another order than it happened. */
	| { kind: 'hold' };

export interface NotifyOptions {
	/** The status the body claims (any text: a forged one too). Default: what a look-up shows now. */
	status?: string;
	shape?: NotificationShape;
	/** Sent instead of Letpay's body: an object as JSON, a string as it is (forged, malformed...). */
	body?: Record<string, unknown> | string;
	/** Default: the payment's notificationUrl, else the emulator's. */
	url?: string;
}

export interface NotificationRecord {
	url: string;
	paymentToken: string;
	/** The status the notification claims; undefined for a hand-written body without `status`. */
	status?: string;
	/** Exactly the text sent. */
	body: string;
	/** When it was sent (Date.now()). */
	at: number;
	/** Letpay (error 00.03.0005) counts a non-2xx answer, a timeout and a network error as failed. */
	result: 'pending' | 'delivered' | 'failed';
	/** The HTTP status the URL answered, if it answered. */
	statusCode?: number;
	/** The answer's body (its first 2,000 characters). */
	answer?: string;
	/** As Letpay words it: `callMerchant error : 500`, `callMerchant error : timed out after 2000 ms`. */
	error?: string;
}
