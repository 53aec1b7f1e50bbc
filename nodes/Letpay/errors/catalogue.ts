/**
 * Letpay's error codes (`GG.CC.NNNN`) grouped by what they mean for a workflow builder: what
 * happened, whether money may have moved, and whether sending the capture again is safe.
 */

/**
 * What happened to the money, for this item:
 * - `not_captured`: this request certainly captured nothing;
 * - `unknown`: it may have captured: check the payment before anything else;
 * - `already_captured_or_expired`: Letpay says the payment was captured before (or reversed), or
 *   its pre-authorization expired: this request captured nothing more;
 * - `handled_by_earlier_item`: nothing was sent for this item: an earlier item of this execution
 *   has the same payment, and its own result says what happened.
 */
export type CaptureOutcome =
	| 'not_captured'
	| 'unknown'
	| 'already_captured_or_expired'
	| 'handled_by_earlier_item'
	/** A look-up (Get, Get Many by Reference) failed: look-ups never move money. */
	| 'no_money_moved';

/**
 * What the builder should do with the item: `never` send it again; send it again only
 * `after_fixing_input` (amount, token, credential); send it again `later` (the cause passes);
 * `check_status_first` in Letpay, because the money may have moved.
 */
export type RetryAdvice = 'never' | 'after_fixing_input' | 'later' | 'check_status_first';

export interface CatalogueEntry {
	message: string;
	outcome: CaptureOutcome;
	retryAdvice: RetryAdvice;
	hint: string;
}

const FIX_AND_RETRY = 'Nothing was captured. Correct the input, then run the item again.';
const RETRY_IS_FUTILE = 'Nothing was captured, and sending it again will not change that.';
const NOTHING_CAPTURED = 'Nothing was captured by this request.';
export const CHECK_STATUS =
	"The capture may or may not have happened: check the payment's status in Letpay before trying again.";

const checkStatus = (message: string): CatalogueEntry => ({ message, outcome: 'unknown', retryAdvice: 'check_status_first', hint: CHECK_STATUS });
const fixInput = (message: string, hint = FIX_AND_RETRY): CatalogueEntry => ({ message, outcome: 'not_captured', retryAdvice: 'after_fixing_input', hint });
const refused = (message: string, hint = RETRY_IS_FUTILE): CatalogueEntry => ({ message, outcome: 'not_captured', retryAdvice: 'never', hint });

const credentials = fixInput('Letpay did not accept the credentials: check the API key/secret and the environment', NOTHING_CAPTURED);
const upstream = checkStatus('Letpay could not complete the capture with the card acquirer, so its outcome is unknown');
const validation = fixInput('Letpay rejected the capture request as invalid');
const businessRule = refused('Letpay refused the capture under its business rules');
const alreadyDone: CatalogueEntry = {
	message: 'This payment was already captured, or its pre-authorization expired',
	outcome: 'already_captured_or_expired',
	retryAdvice: 'never',
	hint: 'Letpay did not capture it again. Check the payment in Letpay if this is unexpected.',
};
const otherMerchant = fixInput('This payment belongs to another Letpay merchant account', 'Use the credential of the merchant that pre-authorized the payment.');

export const BY_CODE: Record<string, CatalogueEntry> = {
	'00.01.0001': credentials,
	'00.01.0009': credentials,
	'00.01.0010': credentials,
	'00.01.0012': credentials,
	'00.01.0013': fixInput('Letpay does not recognise this payment token'),
	'00.01.0038': fixInput('Letpay could not find a payment with this payment token'),
	'00.01.0058': fixInput('Letpay needs an amount greater than 0'),
	'00.04.0002': otherMerchant,
	'00.04.0005': otherMerchant,
	'00.04.0010': refused('This payment was not pre-authorized, so it cannot be captured', 'Only payments created with delayed capture (a pre-authorization) can be captured.'),
	'00.04.0011': fixInput(
		'The amount is higher than the pre-authorized amount still available',
		'Capture at most the pre-authorized amount. Nothing was captured.',
	),
	'00.04.0012': refused("The payment's current status does not allow a capture"),
	'01.05.0001': alreadyDone,
	'01.05.0003': alreadyDone,
	'01.05.0006': fixInput(
		'The amount differs from the pre-authorized amount, and the acquirer refuses partial captures',
		'Capture exactly the pre-authorized amount. Nothing was captured.',
	),
	'01.05.0017': checkStatus('This payment is already being processed by Letpay'),
	// "Transaction already sent" and "Please submit the transaction again" do not say whether an
	// earlier request captured: never read them as a clean refusal.
	'01.04.0014': checkStatus('Letpay says this transaction was already sent, so the outcome of the capture is unknown'),
	'01.02.0002': checkStatus('The payment provider asks to submit the transaction again; whether it captured is unknown'),
};

/** Checked in order: the first prefix that matches the code wins. */
export const BY_GROUP: Array<[prefix: string, entry: CatalogueEntry]> = [
	['00.00', checkStatus('Letpay reported an unknown error')],
	['00.01', validation],
	['00.02', upstream],
	['00.03', upstream],
	['00.04', businessRule],
	['00.05', checkStatus('Letpay had an internal error, so the outcome of the capture is unknown')],
	['01.02', checkStatus('Letpay could not reach the payment provider, so the outcome of the capture is unknown')],
	['01.', refused('The card acquirer declined the capture')],
];

/** When Letpay sent no code (or one we do not know), the HTTP status still tells a lot. */
export function entryForStatus(status: number): CatalogueEntry {
	if (status < 300) return checkStatus('Letpay accepted the request but its answer could not be read, so the outcome is unknown');
	if (status < 400) {
		return checkStatus(`Letpay answered with a redirect (HTTP ${status}), which this node never follows, so the outcome of the capture is unknown`);
	}
	if (status === 401 || status === 403) return credentials;
	if (status === 400) return validation;
	if (status === 404) return fixInput('Letpay answered "not found": check the base URL of the Letpay API credential', NOTHING_CAPTURED);
	if (status === 422) return businessRule;
	if (status === 429) {
		return {
			message: 'Letpay is limiting the request rate',
			outcome: 'not_captured',
			retryAdvice: 'later',
			hint: 'Nothing was captured. Wait a little, then run the item again.',
		};
	}
	if (status >= 500) return checkStatus(`Letpay answered with server error ${status}, so the outcome of the capture is unknown`);
	return fixInput(`Letpay refused the request with HTTP ${status}`, NOTHING_CAPTURED);
}

export function entryForCode(code: string): CatalogueEntry | undefined {
	// Own properties only: a code such as `constructor` must not find Object's.
	return (Object.hasOwn(BY_CODE, code) ? BY_CODE[code] : undefined) ?? BY_GROUP.find(([prefix]) => code.startsWith(prefix))?.[1];
}
