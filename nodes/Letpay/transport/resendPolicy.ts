import type { LetpayErrorReport } from '../errors/explainFailure';

/*
 * Letpay has no idempotency key, so a capture is sent again only when it certainly did not reach
 * Letpay (see LetpayErrorReport.resendable). Everything else fails the item at once.
 */
export interface ResendPolicy {
	maxRetries: number;
	/** First wait when Letpay gave no Retry-After; doubles with each attempt. */
	baseDelayMs: number;
	/**
	 * A look-up changes nothing, so it may be repeated after any answer that may pass (5xx, a
	 * timeout, a reset, an unreadable answer), not only when Letpay certainly was not reached.
	 */
	repeatable?: boolean;
}

export const DEFAULT_RESEND_POLICY: ResendPolicy = { maxRetries: 2, baseDelayMs: 500 };
const MAX_DELAY_MS = 30_000;

/** Milliseconds to wait before resend number `attempt` (1-based), or undefined to give up. */
export function resendDelay(report: LetpayErrorReport, attempt: number, policy: ResendPolicy): number | undefined {
	const passing = report.resendable || (policy.repeatable === true && ['later', 'check_status_first'].includes(report.retryAdvice));
	if (!passing || attempt > policy.maxRetries) return undefined;
	if (report.retryAfterSeconds !== undefined) return Math.min(report.retryAfterSeconds * 1000, MAX_DELAY_MS);
	const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
	// Jitter spreads the resends of many items that failed together.
	return Math.min(exponential * (0.5 + Math.random() / 2), MAX_DELAY_MS);
}
