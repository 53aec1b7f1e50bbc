/**
 * Letpay's error codes (`GG.CC.NNNN`) grouped by what they mean for a workflow builder: what
 * happened, whether money may have moved, and whether sending the capture again is safe.
 */

/** `not_captured`: Letpay certainly did not capture. `unknown`: it may have; check before retrying. */
export type CaptureOutcome = 'not_captured' | 'unknown';

export interface CatalogueEntry {
	message: string;
	outcome: CaptureOutcome;
	hint: string;
}

const FIX_AND_RETRY = 'Nothing was captured. Correct the input, then run the item again.';
const NOTHING_CAPTURED = 'Nothing was captured by this request.';
export const CHECK_STATUS =
	"The capture may or may not have happened: check the payment's status in Letpay before trying again.";

const credentials: CatalogueEntry = {
	message: 'Letpay did not accept the credentials: check the API key/secret and the environment',
	outcome: 'not_captured',
	hint: NOTHING_CAPTURED,
};
const upstream: CatalogueEntry = {
	message: "Letpay could not complete the capture with the card acquirer, so its outcome is unknown",
	outcome: 'unknown',
	hint: CHECK_STATUS,
};
const validation: CatalogueEntry = {
	message: 'Letpay rejected the capture request as invalid',
	outcome: 'not_captured',
	hint: FIX_AND_RETRY,
};
const businessRule: CatalogueEntry = {
	message: 'Letpay refused the capture under its business rules',
	outcome: 'not_captured',
	hint: NOTHING_CAPTURED,
};
const alreadyDone: CatalogueEntry = {
	message: 'This payment was already captured, or its pre-authorization expired',
	outcome: 'not_captured',
	hint: 'Letpay did not capture it again. Check the payment in Letpay if this is unexpected.',
};

export const BY_CODE: Record<string, CatalogueEntry> = {
	'00.01.0001': credentials,
	'00.01.0009': credentials,
	'00.01.0010': credentials,
	'00.01.0012': credentials,
	'00.01.0013': {
		message: 'Letpay does not recognise this payment token',
		outcome: 'not_captured',
		hint: FIX_AND_RETRY,
	},
	'00.01.0038': {
		message: 'Letpay could not find a payment with this payment token',
		outcome: 'not_captured',
		hint: FIX_AND_RETRY,
	},
	'00.01.0058': {
		message: 'Letpay needs an amount greater than 0',
		outcome: 'not_captured',
		hint: FIX_AND_RETRY,
	},
	'00.04.0002': {
		message: 'This payment belongs to another Letpay merchant account',
		outcome: 'not_captured',
		hint: 'Use the credential of the merchant that pre-authorized the payment.',
	},
	'00.04.0005': {
		message: 'This payment belongs to another Letpay merchant account',
		outcome: 'not_captured',
		hint: 'Use the credential of the merchant that pre-authorized the payment.',
	},
	'00.04.0010': {
		message: 'This payment was not pre-authorized, so it cannot be captured',
		outcome: 'not_captured',
		hint: 'Only payments created with delayed capture (a pre-authorization) can be captured.',
	},
	'00.04.0011': {
		message: 'The amount is higher than the pre-authorized amount still available',
		outcome: 'not_captured',
		hint: 'Capture at most the pre-authorized amount. Nothing was captured.',
	},
	'00.04.0012': {
		message: "The payment's current status does not allow a capture",
		outcome: 'not_captured',
		hint: NOTHING_CAPTURED,
	},
	'01.05.0001': alreadyDone,
	'01.05.0003': alreadyDone,
	'01.05.0006': {
		message: 'The amount differs from the pre-authorized amount, and the acquirer refuses partial captures',
		outcome: 'not_captured',
		hint: 'Capture exactly the pre-authorized amount. Nothing was captured.',
	},
	'01.05.0017': {
		message: 'This payment is already being processed by Letpay',
		outcome: 'unknown',
		hint: CHECK_STATUS,
	},
};

/** Checked in order: the first prefix that matches the code wins. */
export const BY_GROUP: Array<[prefix: string, entry: CatalogueEntry]> = [
	[
		'00.00',
		{ message: 'Letpay reported an unknown error', outcome: 'unknown', hint: CHECK_STATUS },
	],
	['00.01', validation],
	['00.02', upstream],
	['00.03', upstream],
	['00.04', businessRule],
	[
		'00.05',
		{ message: 'Letpay had an internal error, so the outcome of the capture is unknown', outcome: 'unknown', hint: CHECK_STATUS },
	],
	[
		'01.02',
		{ message: 'Letpay could not reach the payment provider, so the outcome of the capture is unknown', outcome: 'unknown', hint: CHECK_STATUS },
	],
	[
		'01.',
		{ message: 'The card acquirer declined the capture', outcome: 'not_captured', hint: NOTHING_CAPTURED },
	],
];

/** When Letpay sent no code (or one we do not know), the HTTP status still tells a lot. */
export function entryForStatus(status: number): CatalogueEntry {
	if (status < 300) {
		return {
			message: 'Letpay accepted the capture but its answer could not be read, so the outcome is unknown',
			outcome: 'unknown',
			hint: CHECK_STATUS,
		};
	}
	if (status === 401 || status === 403) return credentials;
	if (status === 400) return validation;
	if (status === 404) {
		return {
			message: 'Letpay answered "not found": check the base URL of the Letpay API credential',
			outcome: 'not_captured',
			hint: NOTHING_CAPTURED,
		};
	}
	if (status === 422) return businessRule;
	if (status === 429) {
		return {
			message: 'Letpay is limiting the request rate',
			outcome: 'not_captured',
			hint: 'Nothing was captured. Wait a little, then run the item again.',
		};
	}
	if (status >= 500) {
		return {
			message: `Letpay answered with server error ${status}, so the outcome of the capture is unknown`,
			outcome: 'unknown',
			hint: CHECK_STATUS,
		};
	}
	return {
		message: `Letpay refused the request with HTTP ${status}`,
		outcome: 'not_captured',
		hint: NOTHING_CAPTURED,
	};
}

export function entryForCode(code: string): CatalogueEntry | undefined {
	return BY_CODE[code] ?? BY_GROUP.find(([prefix]) => code.startsWith(prefix))?.[1];
}
