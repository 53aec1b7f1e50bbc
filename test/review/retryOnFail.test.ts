import { ledger, useTestbed } from '../helpers/testbed';
import { runWithNodeSettings } from './support/runWithNodeSettings';

const A = '8f048623-16c6-47da-aca1-000000000001';
const B = '8f048623-16c6-47da-aca1-000000000002';
const C = '8f048623-16c6-47da-aca1-000000000003';
const orders = [A, B, C].map((paymentToken) => ({ paymentToken, amount: 10 }));
const retry = { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 };

/*
 * n8n's node setting Retry On Fail re-runs the node in the same execution, with the same node
 * context, after a thrown error or (with continue-on-fail) when the first output item holds
 * `json.error`. The README says a retry would send the payments again. It does not: the
 * deduplication memory already holds every token, so the retry turns EVERY item into
 * "handled_by_earlier_item ... Nothing was sent to Letpay for this item", and n8n keeps only the
 * retry's output. Payments that were captured are reported as never sent, their success items are
 * gone, and with Stop Workflow the error no longer says what happened to each item.
 */
describe('review: Retry On Fail after item 1 meets a 502 that did capture', () => {
	const testbed = useTestbed();
	beforeEach(() => {
		for (const paymentToken of [A, B, C]) testbed.emulator.preAuthorize({ paymentToken, amount: '20.00' });
		testbed.emulator.injectFault(A, { kind: 'bad-gateway', captured: true });
	});

	test.failing('continue (error output): the captured items 2 and 3 stay successes; no item claims "nothing was sent"', async () => {
		const { success, failed } = await runWithNodeSettings(
			{ orders, parameters: { options: { concurrency: 1 } }, onError: 'continueErrorOutput' },
			testbed.credentials,
			retry,
		);

		expect(ledger(testbed.emulator)).toEqual({ [A]: [1000], [B]: [1000], [C]: [1000] });
		// Actual: success is empty; all three are error items "handled_by_earlier_item" whose
		// description says "Nothing was sent to Letpay for this item", pointing at themselves.
		expect(success.map((item) => item.json.paymentToken)).toEqual([B, C]);
		expect(failed.map((item) => (item.json.error as { outcome: string }).outcome)).toEqual(['unknown']);
	});

	test.failing('stop workflow: the final error still says that the outcome of item 1 is unknown', async () => {
		const { error } = await runWithNodeSettings({ orders, parameters: { options: { concurrency: 1 } } }, testbed.credentials, retry);

		expect(ledger(testbed.emulator)).toEqual({ [A]: [1000] });
		// Actual: "Payment Token ... in item 1 names the same payment as item 1 of run 1 of this node",
		// description "Nothing was sent to Letpay for this item." (item 1 WAS sent, and captured), and
		// no itemResults.
		expect(error?.description).not.toContain('Nothing was sent to Letpay for this item');
		expect(error?.context?.itemResults).toMatchObject({ failed: [{ itemIndex: 0, outcome: 'unknown' }] });
	});
});
