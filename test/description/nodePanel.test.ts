import { Workflow, type INode, type INodeProperties } from 'n8n-workflow';

import { Letpay } from '../../nodes/Letpay/Letpay.node';
import codex from '../../nodes/Letpay/Letpay.node.json';
import { nodeTypes } from '../helpers/nodeTypes';
import { useTestbed } from '../helpers/testbed';

/*
 * What a builder meets in the node panel, as the node describes it to the editor. The end-to-end
 * suite looks at the same panel in Chromium (test/e2e/browser.ts); these hold the description to
 * the same contract without a browser.
 */
const { description } = new Letpay();
const property = (name: string) => description.properties.find((candidate) => candidate.name === name) as INodeProperties;
const captureOptions = () =>
	description.properties.find((candidate) => candidate.name === 'options' && candidate.displayOptions?.show?.operation?.includes('capture'))!
		.options as INodeProperties[];

describe('the Letpay node in the editor', () => {
	test('Amount: no rounding in the editor (numberPrecision would turn a typed 12.345 into 12.35)', () => {
		expect(property('amount').typeOptions?.numberPrecision).toBeUndefined();
	});

	test('a notice where money moves: Retry On Fail off, On Error → Continue, branch on error.outcome', () => {
		const notice = property('captureSafetyNotice');
		expect(notice).toMatchObject({ type: 'notice', displayOptions: { show: { operation: ['capture'] } } });
		expect(notice.displayName).toMatch(/Retry On Fail.*Continue \(using error output\).*error\.outcome/);
	});

	test('option labels short enough for the panel (the qualifiers live in the descriptions)', () => {
		const long = captureOptions().filter((option) => option.displayName.length > 24).map((option) => option.displayName);
		expect(long).toEqual([]);
	});

	test('the canvas subtitle shows display names, not raw values', () => {
		const node = { id: 'n', name: 'n', type: 'test.sink', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		// The editor resolves $parameter from the node's parameters; here the operation is put in directly.
		const forOperation = (operation: string) =>
			workflow.expression.getSimpleParameterValue(node, (description.subtitle as string).replace('$parameter["operation"]', JSON.stringify(operation)), 'internal', {});
		expect(['capture', 'get', 'getManyByReference'].map(forOperation)).toEqual(['Capture payment', 'Get payment', 'Get Many by Reference payment']);
	});

	test('found in the node creator without the brand name', () => {
		expect(codex.alias).toEqual(expect.arrayContaining(['capture', 'payment', 'pre-authorized']));
	});
});

describe('Amount typed in fixed mode', () => {
	const testbed = useTestbed();

	test('12.345 is refused with the message an expression gets, never captured as 12.35', async () => {
		testbed.emulator.preAuthorize({ paymentToken: 'pay-fixed', amount: '20.00' });

		const fixed = await testbed.run({ orders: [{ paymentToken: 'pay-fixed' }], parameters: { amount: 12.345 } });
		const expression = await testbed.run({ orders: [{ paymentToken: 'pay-fixed', amount: 12.345 }] });

		expect(fixed.error?.message).toBe('Invalid Amount in item 1: 12.345 must have at most two decimal places');
		expect(fixed.error?.message).toBe(expression.error?.message);
		expect(testbed.emulator.allCaptures()).toEqual([]);
	});
});

describe('Include Input Fields', () => {
	const testbed = useTestbed();

	test.each([
		[false, { success: true }],
		[true, { orderId: 'A-1', success: true }],
	])('%p: success items carry the input fields or not; the result wins on a clash', async (includeInputFields, expected) => {
		testbed.emulator.preAuthorize({ paymentToken: 'pay-keep', amount: '10.00' });

		const { success } = await testbed.run({
			orders: [{ paymentToken: 'pay-keep', amount: 10, orderId: 'A-1', success: 'from the input' }],
			parameters: { options: { includeInputFields } },
		});

		expect(success[0].json).toMatchObject(expected);
		expect('orderId' in success[0].json).toBe(includeInputFields);
	});
});
