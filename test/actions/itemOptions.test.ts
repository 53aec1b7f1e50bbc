import { ledger, useTestbed } from '../helpers/testbed';

/*
 * n8n resolves Options per item, so an expression in them may differ from item to item; the node
 * reads Options without an expression once per run (speed), and that must change nothing a
 * builder can see.
 */
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
