import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { RequestRecord } from '../../letpayEmulator';
import type { Observation } from './runScenario';
import { executionId } from './runScenario';
import type { Scenario } from './scenario';

/*
 * What each item of each execution says happened to it, read the way a builder reads it: the
 * item on either output, or (when the workflow stopped) the error's itemResults. Everything that
 * makes an item unreadable is a violation of "every input item ends as exactly one output item,
 * in order, paired, telling what happened".
 */

/** The outcomes and advice of Letpay's error catalogue that a capture item may carry. */
export const CAPTURE_OUTCOMES = new Set(['not_captured', 'unknown', 'already_captured_or_expired', 'handled_by_earlier_item']);
export const RETRY_ADVICE = new Set(['never', 'after_fixing_input', 'later', 'check_status_first']);

export type Label =
	| 'captured'
	| 'already_captured'
	/** A success in a stopped run's itemResults, which does not say which of the two it was. */
	| 'captured_or_already'
	| 'skipped'
	| 'not_sent'
	| 'not_captured'
	| 'unknown'
	| 'already_captured_or_expired'
	| 'handled_by_earlier_item';

export interface ItemReport {
	execution: number;
	index: number;
	/** The payment as Letpay's ledger names it (trimmed, lower case). */
	key: string;
	cents: number;
	label?: Label;
	verified: boolean;
	/**
	 * Credited by a look-up to the payment, not to this request (`verified.attribution: "payment"`):
	 * true when the payment holds exactly one capture, of exactly this amount.
	 */
	byPayment: boolean;
	/** The error's message, for the evidence. */
	message?: string;
}

export interface Violation {
	kind: string;
	detail: string;
}

const centsOf = (amount: unknown) => Math.round(Number(amount) * 100);
export const keyOf = (token: unknown) => String(token).trim().toLowerCase();

function labelOf(json: IDataObject): Label | undefined {
	if (json.success === true) return json.alreadyCaptured === true ? 'already_captured' : 'captured';
	if (json.skipped === true) return 'skipped';
	const error = json.error as IDataObject | undefined;
	if (error && typeof error === 'object' && CAPTURE_OUTCOMES.has(String(error.outcome)) && RETRY_ADVICE.has(String(error.retryAdvice))) {
		return error.outcome as Label;
	}
	return undefined;
}

/**
 * The reports of one execution that ended with items on its outputs: with "Continue (using error
 * output)" two branches, where n8n moves an item to the error output only if its json holds
 * nothing but `error` (and `message`, `details`).
 */
function fromOutputs(reports: ItemReport[], branches: INodeExecutionData[][], orders: IDataObject[], where: string, found: (kind: string, detail: string) => void) {
	const seen = new Set<number>();
	branches.forEach((branch, branchIndex) => {
		let previous = -1;
		for (const item of branch) {
			const index = (item.pairedItem as { item?: number } | undefined)?.item ?? -1;
			if (index <= previous || seen.has(index) || !reports[index]) found('lost or extra item', `${where}: output item paired with ${index} (after ${previous})`);
			previous = index;
			seen.add(index);
			const report = reports[index];
			if (!report) continue;
			const label = labelOf(item.json);
			if (label === undefined) {
				const looksLikeError = typeof item.json.error === 'object' && item.json.error !== null;
				const kind = branchIndex === 0 && !looksLikeError ? 'raw item on the success output' : 'error item without a catalogue outcome';
				found(kind, `${where} item ${index}: ${JSON.stringify(item.json).slice(0, 200)}`);
				continue;
			}
			if (branchIndex === 1 && !item.json.error) found('lost or extra item', `${where} item ${index}: a success on the error output`);
			if (branchIndex === 0 && branches.length === 2 && item.json.error) found('failure on the success output', `${where} item ${index}: ${label}`);
			if (label === 'captured' || label === 'already_captured') {
				const order = orders[index];
				if (keyOf(item.json.paymentToken) !== keyOf(order.paymentToken) || centsOf(item.json.amount) !== centsOf(order.captureAmount)) {
					found('success item misreports its input', `${where} item ${index}: says ${String(item.json.paymentToken)} ${String(item.json.amount)}`);
				}
			}
			report.label = label;
			report.verified = item.json.verified !== undefined;
			report.byPayment = (item.json.verified as IDataObject | undefined)?.attribution === 'payment';
			report.message = (item.json.error as IDataObject | undefined)?.message as string | undefined;
		}
	});
	reports.forEach((_report, index) => {
		if (!seen.has(index)) found('lost or extra item', `${where} item ${index}: no output item`);
	});
}

interface ItemResults {
	/** `alreadyCaptured` and `verified` are there since the capture record (older nodes: not told apart). */
	succeeded?: Array<{ itemIndex: number; alreadyCaptured?: boolean; verified?: boolean }>;
	failed?: Array<{ itemIndex: number; outcome: string; retryAdvice: string; message?: string }>;
	notSent?: number[];
}

/** A stopped run: its error must say what happened to every item. */
function fromStoppedRun(reports: ItemReport[], error: Error & { context?: IDataObject }, sent: RequestRecord[], where: string, found: (kind: string, detail: string) => void) {
	if (error.name !== 'NodeApiError' && error.name !== 'NodeOperationError') {
		found('bare exception stopped the workflow', `${where}: ${error.name}: ${error.message}`);
	}
	const results = error.context?.itemResults as ItemResults | undefined;
	if (!results) {
		// Refused before anything was sent (invalid input is checked up front): no item has a result.
		if (sent.length > 0) found('stopped without itemResults', `${where}: ${error.message} after ${sent.length} requests`);
		for (const report of reports) report.label = 'not_sent';
		return;
	}
	const listed = [
		...(results.succeeded ?? []).map(({ itemIndex, alreadyCaptured, verified }) => {
			if (reports[itemIndex] && verified === true) Object.assign(reports[itemIndex], { verified: true, byPayment: true });
			return [itemIndex, alreadyCaptured === undefined ? 'captured_or_already' : alreadyCaptured ? 'already_captured' : 'captured'] as const;
		}),
		...(results.failed ?? []).map(({ itemIndex, outcome, retryAdvice, message }) => {
			if (reports[itemIndex]) reports[itemIndex].message = message;
			return [itemIndex, CAPTURE_OUTCOMES.has(outcome) && RETRY_ADVICE.has(retryAdvice) ? outcome : undefined] as const;
		}),
		...(results.notSent ?? []).map((itemIndex) => [itemIndex, 'not_sent'] as const),
	];
	for (const [index, label] of listed) {
		const report = reports[index];
		if (!report || report.label !== undefined) found('lost or extra item', `${where}: itemResults list item ${index} twice or it does not exist`);
		else if (label === undefined) found('error item without a catalogue outcome', `${where}: itemResults item ${index}`);
		else report.label = label as Label;
	}
	reports.forEach((report, index) => {
		if (report.label === undefined && listed.every(([listedIndex]) => listedIndex !== index)) found('lost or extra item', `${where}: itemResults miss item ${index}`);
	});
}

/** Every item's report, and the violations met while reading them. */
export function readItemReports(scenario: Scenario, observation: Observation, found: (kind: string, detail: string) => void): ItemReport[][] {
	return observation.executions.map(({ orders, run, thrown }, execution) => {
		const where = `execution ${execution + 1}`;
		const reports = orders.map((order, index): ItemReport => ({ execution, index, key: keyOf(order.paymentToken), cents: centsOf(order.captureAmount), verified: false, byPayment: false }));
		if (thrown || !run) {
			found('engine threw', `${where}: ${thrown?.message}`);
			return reports;
		}
		const onError = scenario.executions[execution].onError;
		if (run.error && onError !== 'stopWorkflow') found('run failed in a Continue mode', `${where}: ${run.error.message}`);
		if (run.error) {
			const sent = observation.requests.filter((request) => request.execution === executionId(execution));
			fromStoppedRun(reports, run.error, sent, where, found);
		} else {
			fromOutputs(reports, onError === 'continueErrorOutput' ? [run.success, run.failed] : [run.success], orders, where, found);
		}
		return reports;
	});
}
