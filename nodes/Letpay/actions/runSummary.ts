import type { IDataObject } from 'n8n-workflow';

import type { ItemOutcome, LetpayErrorReport } from '../errors/report';

type Finished = Exclude<ItemOutcome, { ok: true }> | { ok: true; paymentToken?: string; alreadyCaptured: boolean; verified: boolean };

const LISTED = 20;

function itemList(indexes: number[]): string {
	const shown = indexes.slice(0, LISTED).map((index) => index + 1);
	const more = indexes.length > LISTED ? ` and ${indexes.length - LISTED} more` : '';
	return `${indexes.length === 1 ? 'item' : 'items'} ${shown.join(', ')}${more}`;
}

/**
 * What happened to each item of a run, for the error that stops a workflow: that run has no
 * output, so without this a builder could not tell which payments were captured before it stopped.
 */
export class RunSummary {
	private readonly results: Array<Finished | 'in flight' | undefined>;

	firstFailure: { itemIndex: number; report: LetpayErrorReport } | undefined;

	constructor(count: number) {
		// Filled, not sparse: array methods skip holes, and a hole is an item never sent.
		this.results = Array.from({ length: count }, () => undefined);
	}

	started(itemIndex: number) {
		this.results[itemIndex] = 'in flight';
	}

	finished(itemIndex: number, outcome: ItemOutcome) {
		const json = outcome.ok && !Array.isArray(outcome.json) ? outcome.json : undefined;
		this.results[itemIndex] = outcome.ok
			? { ok: true, paymentToken: typeof json?.paymentToken === 'string' ? json.paymentToken : undefined, alreadyCaptured: json?.alreadyCaptured === true, verified: json?.verified !== undefined }
			: outcome;
		if (!outcome.ok && (!this.firstFailure || itemIndex < this.firstFailure.itemIndex)) {
			this.firstFailure = { itemIndex, report: outcome.report };
		}
	}

	private indexes(test: (result: Finished | 'in flight' | undefined) => boolean): number[] {
		return this.results.flatMap((result, index) => (test(result) ? [index] : []));
	}

	private failedWhere(test: (report: LetpayErrorReport) => boolean) {
		return this.indexes((result) => typeof result === 'object' && !result.ok && test(result.report));
	}

	asData(): IDataObject {
		const token = (result: Finished) => (result.ok ? result.paymentToken : result.facts.paymentToken) ?? null;
		const finished = this.results.flatMap((result, itemIndex) => (typeof result === 'object' ? [{ itemIndex, result }] : []));
		return {
			// A capture taken before (alreadyCaptured) or credited by a look-up (verified) says so here too.
			succeeded: finished.flatMap(({ itemIndex, result }) =>
				result.ok ? [{ itemIndex, paymentToken: token(result), alreadyCaptured: result.alreadyCaptured, verified: result.verified }] : [],
			),
			failed: finished.flatMap(({ itemIndex, result }) =>
				result.ok
					? []
					: [{ itemIndex, paymentToken: token(result), outcome: result.report.outcome, retryAdvice: result.report.retryAdvice, message: result.report.message }],
			),
			notSent: this.indexes((result) => result === undefined),
		};
	}

	describe(failure: { itemIndex: number; report: LetpayErrorReport }): string {
		const succeeded = this.indexes((result) => typeof result === 'object' && result.ok);
		// Whatever says "check the status first" may have moved money, whatever its outcome reads.
		const toCheck = this.failedWhere((report) => report.outcome === 'unknown' || report.retryAdvice === 'check_status_first');
		const settled = (outcome: string) =>
			this.failedWhere((report) => report.outcome === outcome && report.retryAdvice !== 'check_status_first');
		const capturedBefore = settled('already_captured_or_expired');
		const notCaptured = settled('not_captured');
		const lookupsFailed = settled('no_money_moved');
		const notSent = this.indexes((result) => result === undefined);
		const parts = [
			`Item ${failure.itemIndex + 1}: ${failure.report.description}`,
			'The workflow stopped, so this run has no output. What happened to its items:',
			succeeded.length ? `succeeded: ${itemList(succeeded)};` : 'none succeeded;',
			toCheck.length ? `outcome not certain, check these in Letpay: ${itemList(toCheck)};` : '',
			capturedBefore.length ? `already captured before, or expired: ${itemList(capturedBefore)};` : '',
			notCaptured.length ? `failed, not captured: ${itemList(notCaptured)};` : '',
			lookupsFailed.length ? `look-up failed: ${itemList(lookupsFailed)};` : '',
			notSent.length ? `not sent: ${itemList(notSent)}.` : 'every item was attempted.',
			'The payment tokens are in the error\'s itemResults. Running this execution again sends every item again:',
			'use On Error → Continue (using error output) to get one result per item instead.',
		];
		return parts.filter((part) => part !== '').join(' ');
	}
}
