import type { LetpayErrorReport } from './explainFailure';

const noLetpayDetails = () => ({ codes: [], errors: [] });

/** Nothing went out for this item: a credential problem, a sign-in past the deadline, bad input. */
export function notSentReport(
	message: string,
	retryAdvice: LetpayErrorReport['retryAdvice'],
	description = 'Nothing was sent to Letpay for this item, so nothing was captured.',
): LetpayErrorReport {
	return { message, description, outcome: 'not_captured', retryAdvice, letpay: noLetpayDetails(), resendable: false };
}

/** An item the node refused before sending anything (bad amount, bad token). */
export function invalidInputReport(message: string, description: string): LetpayErrorReport {
	return notSentReport(message, 'after_fixing_input', description);
}

/** An item whose payment an earlier item of this execution already has: never sent. */
export function duplicateReport(message: string, duplicateOfItem: number): LetpayErrorReport {
	return {
		message,
		description: `Nothing was sent to Letpay for this item. What happened to the payment is in the result of item ${duplicateOfItem + 1}.`,
		outcome: 'handled_by_earlier_item',
		retryAdvice: 'never',
		letpay: noLetpayDetails(),
		resendable: false,
		duplicateOfItem,
	};
}

/**
 * Handling the item threw: a defect of this node, or an answer it could not read. A capture may
 * have gone out before it, so its outcome is unknown; a look-up moved no money either way. The
 * error's own text is left out (it could quote an answer); its kind is named.
 */
export function unexpectedFailureReport(error: unknown, movesMoney: boolean): LetpayErrorReport {
	const kind = error instanceof Error ? error.name : typeof error;
	return {
		message: movesMoney
			? `The node failed while handling this item (${kind}), so whether the capture happened is unknown`
			: `The node failed while handling this item (${kind}); a look-up changes nothing in Letpay`,
		description: `This is a defect of the Letpay node: please report it. ${movesMoney ? "Check the payment's status in Letpay before trying again." : 'Running the item again is safe.'}`,
		outcome: movesMoney ? 'unknown' : 'no_money_moved',
		retryAdvice: movesMoney ? 'check_status_first' : 'later',
		letpay: noLetpayDetails(),
		resendable: false,
	};
}

/** Letpay answered 2xx, and its answer says the capture did not happen (DECLINED, CANCELED). */
export function refusedInAnswerReport(transactionStatus: string, environment: string): LetpayErrorReport {
	return {
		message: `Letpay answered that the capture was not made (transaction status ${transactionStatus})`,
		description: `Nothing was captured, and sending it again will not change that. (HTTP 200, ${environment}).`,
		httpCode: '200',
		outcome: 'not_captured',
		retryAdvice: 'never',
		letpay: noLetpayDetails(),
		resendable: false,
	};
}

/** Letpay answered 2xx with a body that neither confirms nor refuses the capture. */
export function unconfirmedAnswerReport(transactionStatus: unknown, environment: string): LetpayErrorReport {
	const seen = typeof transactionStatus === 'string' ? `transaction status ${transactionStatus}` : 'no transaction status';
	return {
		message: `Letpay's answer does not confirm the capture (${seen}), so its outcome is unknown`,
		description: `The capture may or may not have happened: check the payment's status in Letpay before trying again. (HTTP 200, ${environment}).`,
		httpCode: '200',
		outcome: 'unknown',
		retryAdvice: 'check_status_first',
		letpay: noLetpayDetails(),
		resendable: false,
	};
}

/** Why a look-up failed, in a builder's words: the report's status and codes, not its capture wording. */
function lookupProblem(report: LetpayErrorReport): string {
	const codes = report.letpay.codes;
	if (codes.some((code) => ['00.01.0013', '00.01.0038', '01.04.0012'].includes(code))) return 'Letpay has no payment by that name';
	if (report.httpCode === '401' && report.retryAdvice === 'later') return 'Letpay kept refusing the access token, handing newer ones to other requests';
	if (report.httpCode === '401' || report.httpCode === '403') return 'Letpay did not accept the credentials';
	if (report.httpCode === '404') return 'Letpay answered "not found": check the base URL of the credential';
	if (report.httpCode === '429') return 'Letpay is limiting the request rate';
	if (report.httpCode === undefined) return report.retryAdvice === 'check_status_first' ? 'Letpay did not answer in time, or the connection broke' : 'Letpay could not be reached';
	if (report.retryAdvice === 'check_status_first') return `Letpay's answer could not be used (HTTP ${report.httpCode})`;
	return `Letpay refused the look-up (HTTP ${report.httpCode}${codes.length ? `, code ${codes.join(', ')}` : ''})`;
}

/**
 * A look-up that failed. Letpay's own texts and codes stay; the headline and the advice are a
 * look-up's: nothing was captured or could have been.
 */
export function lookupFailedReport(report: LetpayErrorReport, what: string): LetpayErrorReport {
	const passing = report.retryAdvice === 'check_status_first' || report.retryAdvice === 'later';
	const letpaySaid = report.letpay.errors.map((error) => error.description).filter((text) => text !== '');
	return {
		...report,
		message: `Letpay could not look up ${what}: ${lookupProblem(report)}`,
		description: [...letpaySaid, `(${report.httpCode ? `HTTP ${report.httpCode}` : 'no answer'}). A look-up changes nothing in Letpay.`].join(' '),
		outcome: 'no_money_moved',
		retryAdvice: passing ? 'later' : report.retryAdvice,
		resendable: false,
	};
}
