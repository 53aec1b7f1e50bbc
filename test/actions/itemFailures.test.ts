import type { IDataObject } from 'n8n-workflow';

import { ordersFor, paymentTokens, preAuthorizeAll } from '../helpers/captures';
import type { OnError } from '../helpers/runWorkflow';
import { useTestbed } from '../helpers/testbed';

/*
 * Whatever goes wrong while the node handles one item stays that item's: it ends as one error
 * item (or in the stopping error's itemResults) with an outcome of the catalogue, and the other
 * items keep theirs. n8n would otherwise pass every raw input item on through the success output,
 * where it looks captured (issue 18, defect 5; found by the money model).
 */
const looksCaptured = (json: IDataObject) => json.success === true || json.skipped === true;

describe('an item whose handling fails never takes the other items with it', () => {
	const testbed = useTestbed();

	/** Every item is either a report of the node (success, skip or catalogue error) or listed in itemResults. */
	function expectOneReportPerItem(result: Awaited<ReturnType<typeof testbed.run>>, count: number, onError: OnError) {
		if (onError === 'stopWorkflow') {
			expect(result.error?.name).toBe('NodeApiError');
			const results = result.error?.context?.itemResults as { succeeded: Array<{ itemIndex: number }>; failed: Array<{ itemIndex: number }>; notSent: number[] };
			const listed = [...results.succeeded.map(({ itemIndex }) => itemIndex), ...results.failed.map(({ itemIndex }) => itemIndex), ...results.notSent];
			expect(listed.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_unused, index) => index));
			return;
		}
		expect(result.error).toBeUndefined();
		const items = [...result.success, ...result.failed];
		expect(items.map((item) => (item.pairedItem as { item: number }).item).sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_unused, index) => index));
		for (const item of items) {
			const error = item.json.error as IDataObject | undefined;
			expect(looksCaptured(item.json) || typeof error?.outcome === 'string').toBe(true);
		}
	}

	test.each<OnError>(['continueErrorOutput', 'continueRegularOutput', 'stopWorkflow'])(
		'payment tokens named like Object.prototype members (constructor, __proto__, toString) are payments like any other (%s)',
		async (onError) => {
			const tokens = ['constructor', '__proto__', 'toString', ...paymentTokens(2, 'proto')];
			preAuthorizeAll(testbed.emulator, tokens.slice(3));

			const result = await testbed.run({ orders: ordersFor(tokens), onError });

			expectOneReportPerItem(result, tokens.length, onError);
			if (onError !== 'stopWorkflow') {
				const byItem = [...result.success, ...result.failed].sort((a, b) => (a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item);
				expect(byItem.map((item) => (item.json.error as IDataObject | undefined)?.letpayCodes ?? 'captured')).toEqual([['00.04.0010'], ['00.04.0010'], ['00.04.0010'], 'captured', 'captured']);
			}
		},
	);

	test.each<OnError>(['continueErrorOutput', 'stopWorkflow'])('an answer whose error code cannot even be printed: that item is unknown, the others are captured (%s)', async (onError) => {
		const tokens = paymentTokens(3, 'odd-code');
		preAuthorizeAll(testbed.emulator, tokens);
		// JSON can carry {"toString": 1}; String() of it throws.
		testbed.emulator.injectFault(tokens[1], { kind: 'answer', status: 200, body: { transaction_status: 'DECLINED', errors: [{ code: { toString: 1 }, description: { toString: 1 } }] } });

		const result = await testbed.run({ orders: ordersFor(tokens), onError, parameters: { options: { concurrency: 1 } } });

		expectOneReportPerItem(result, 3, onError);
		if (onError === 'continueErrorOutput') {
			expect(result.success.map((item) => item.json.paymentToken)).toEqual([tokens[0], tokens[2]]);
			expect(result.failed.map((item) => (item.json.error as IDataObject).outcome)).toEqual(['unknown']);
		}
	});

	test('a look-up answer nested 20,000 levels deep: Get reports it, cut off past 32 levels, and the run goes on', async () => {
		const tokens = paymentTokens(2, 'deep');
		preAuthorizeAll(testbed.emulator, tokens);
		const nested = `${'{"inner":'.repeat(20_000)}true${'}'.repeat(20_000)}`;
		testbed.emulator.injectLookupFault(tokens[0], { kind: 'answer', status: 200, body: `{"general_info":{"transaction_status":"PRE_AUTHORIZED"},"payment_info":${nested}}` });

		const result = await testbed.run({
			orders: ordersFor(tokens),
			onError: 'continueErrorOutput',
			parameters: { operation: 'get', preAuthorizedPayment: '={{ $json.paymentToken }}', options: { includeRaw: true } },
		});

		expect(result.error).toBeUndefined();
		expect(result.failed).toEqual([]);
		expect(result.success.map((item) => [item.json.paymentToken, item.json.transactionStatus])).toEqual(tokens.map((token) => [token, 'PRE_AUTHORIZED']));
		expect(JSON.stringify(result.success[0].json.letpay)).toContain('[nested deeper than 32 levels]');
	});
});
