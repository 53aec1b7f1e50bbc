import { ledger, useTestbed } from '../helpers/testbed';

/*
 * n8n resolves Options per item, so an expression in them may differ from item to item; the node
 * reads Options without an expression once per run (speed), and that must change nothing a
 * builder can see.
 */
/** An expression n8n cannot resolve (it names a node that does not exist) for items whose keep is true. */
const FAILS_WHEN_KEEP_IS_TRUE = '={{ $json.keep === true ? $("No Such Node").item.json.keep : false }}';

const orders = [
	{ paymentToken: 'opt-pay-1', amount: 10, keep: true, note: 'first' },
	{ paymentToken: 'opt-pay-2', amount: 10, keep: false, note: 'second' },
	{ paymentToken: 'opt-pay-3', amount: 10, keep: true, note: 'third' },
];

describe('Options: read per item when they hold an expression, once when they do not', () => {
	const testbed = useTestbed();
	beforeEach(() => orders.forEach(({ paymentToken }) => testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' })));

	test('an expression in Options is resolved for each item', async () => {
		const { success } = await testbed.run({ orders, parameters: { options: { includeInputFields: '={{ $json.keep }}' } } });

		expect(success.map((item) => item.json.note)).toEqual(['first', undefined, 'third']);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('an option whose expression fails for one item refuses that item before anything is sent for it', async () => {
		const mixed = [{ ...orders[0], keep: 'yes' }, orders[1], orders[2]];

		const { success, failed } = await testbed.run({
			orders: mixed,
			parameters: { options: { includeInputFields: FAILS_WHEN_KEEP_IS_TRUE } },
			onError: 'continueErrorOutput',
		});

		expect(failed.map((item) => [item.pairedItem, (item.json.error as { outcome: string }).outcome])).toEqual([[{ item: 2 }, 'not_captured']]);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(ledger(testbed.emulator)).toEqual({ 'opt-pay-1': [1000], 'opt-pay-2': [1000] });
	});

	test('an option that fails for the first item, where the run settings are read: every item on the error output, nothing sent', async () => {
		const { success, failed } = await testbed.run({
			orders,
			parameters: { options: { includeInputFields: FAILS_WHEN_KEEP_IS_TRUE } },
			onError: 'continueErrorOutput',
		});

		// n8n itself would pass the input on through the success output, as if captured.
		expect(success).toEqual([]);
		expect(failed.map((item) => [item.pairedItem, (item.json.error as { outcome: string }).outcome])).toEqual(
			orders.map((_order, index) => [{ item: index }, 'not_captured']),
		);
		expect(testbed.emulator.requests).toEqual([]);
		expect((failed[0].json.error as { message: string }).message).toMatch(/^The run could not start: /);
	});

	test('a plain option applies to every item', async () => {
		const { success } = await testbed.run({ orders, parameters: { options: { includeInputFields: true } } });

		expect(success.map((item) => item.json.note)).toEqual(['first', 'second', 'third']);
	});

	test('an expression in one option keeps the others plain: each item gets its own timeout, all are captured once', async () => {
		const { success } = await testbed.run({
			orders,
			parameters: { options: { timeout: '={{ $json.keep ? 30000 : 20000 }}', includeInputFields: true } },
		});

		expect(success.map((item) => item.json.note)).toEqual(['first', 'second', 'third']);
		expect(ledger(testbed.emulator)).toEqual({ 'opt-pay-1': [1000], 'opt-pay-2': [1000], 'opt-pay-3': [1000] });
	});
});
