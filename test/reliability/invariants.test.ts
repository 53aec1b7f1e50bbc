import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { CaptureRecord } from '../letpayEmulator';
import { ANY_OUTCOME, type ItemOutcome, type Order } from './faultPlan';
import { checkRun, cleanFindings, type BatchResult } from './invariants';

/*
 * The fault suite's figures are only as good as checkRun: each finding is made here from a small
 * hand-written run, so a check that stopped counting would fail here first.
 */
const ok = (item: number): INodeExecutionData => ({ json: { success: true }, pairedItem: { item } });
const failed = (item: number, outcome: ItemOutcome, extra: IDataObject = {}): INodeExecutionData => ({
	json: { error: { outcome, ...extra } },
	pairedItem: { item },
});
const capture = (paymentToken: string, amountCents: number): CaptureRecord => ({ paymentToken, amountCents, at: '' });
const batch = (orders: Order[], success: INodeExecutionData[], errors: INodeExecutionData[], outcomes?: ItemOutcome[][]): BatchResult => ({
	orders,
	outcomes: outcomes ?? orders.map(() => [...ANY_OUTCOME, 'handled_by_earlier_item']),
	success,
	failed: errors,
});
const clean: Partial<ReturnType<typeof cleanFindings>> = cleanFindings(0);
delete clean.items;

const A = { paymentToken: 'pay-a', amount: 1 };
const B = { paymentToken: 'pay-b', amount: '2.50' };

describe('checkRun: the invariants of the fault suite', () => {
	test('a clean run: every item once, captures where it says so, a repeat (upper case, padded) pointing back', () => {
		const orders = [A, B, { paymentToken: ' PAY-A ', amount: 3 }];
		const findings = checkRun([batch(orders, [ok(0), ok(1)], [failed(2, 'handled_by_earlier_item', { duplicateOfItem: 0 })])], [
			capture('pay-a', 100),
			capture('pay-b', 250),
		]);
		expect(findings).toEqual({ items: 3, ...clean });
	});

	test("'unknown' is allowed with or without a capture", () => {
		const findings = checkRun([batch([A, B], [], [failed(0, 'unknown'), failed(1, 'unknown')])], [capture('pay-a', 100)]);
		expect(findings).toEqual({ items: 2, ...clean });
	});

	test('a case variant that got through: one payment captured twice, and a capture hidden behind its item', () => {
		const orders = [A, { paymentToken: 'PAY-A', amount: 3 }];
		const evidence: string[] = [];
		const findings = checkRun(
			[batch(orders, [ok(0)], [failed(1, 'handled_by_earlier_item', { duplicateOfItem: 0 })])],
			// The emulator, matching in any case, records both under the lower-case key.
			[capture('pay-a', 100), capture('pay-a', 300)],
			evidence,
		);
		expect(findings).toEqual({ items: 2, ...clean, doubleCaptures: 1, unreportedCaptures: 1 });
		expect(evidence).toEqual([
			'run 1 item 1 "PAY-A" (no fault): hidden capture; outcome handled_by_earlier_item -> item 0, ledger for the payment: [100, 300] cents, item asked 300',
			'double capture of pay-a: 100 + 300 cents',
		]);
	});

	test('a Loop Over Items repeat that got through: double capture across the runs of one execution', () => {
		const findings = checkRun(
			[batch([A], [ok(0)], []), batch([B, { paymentToken: 'Pay-A', amount: 3 }], [ok(0), ok(1)], [])],
			[capture('pay-a', 100), capture('pay-b', 250), capture('pay-a', 300)],
		);
		expect(findings).toEqual({ items: 3, ...clean, doubleCaptures: 1 });
	});

	test.each([
		["'not_captured'", [failed(0, 'not_captured')]],
		["'already_captured_or_expired' (this request captured nothing more)", [failed(0, 'already_captured_or_expired')]],
		['no output item at all', []],
	])('a capture by an item with %s is hidden', (_what, errors) => {
		const findings = checkRun([batch([A], [], errors)], [capture('pay-a', 100)]);
		expect(findings).toMatchObject({ unreportedCaptures: 1, lostItems: errors.length === 0 ? 1 : 0 });
	});

	test("a capture no item asked for (another amount, another payment) is hidden; 'not_captured' with another item's capture is not", () => {
		const findings = checkRun([batch([A, B], [ok(1)], [failed(0, 'not_captured')])], [capture('pay-b', 250), capture('pay-a', 999), capture('pay-z', 100)]);
		expect(findings).toEqual({ items: 2, ...clean, unreportedCaptures: 2 });
	});

	test('a success without its capture, or with the wrong amount, is a phantom', () => {
		const findings = checkRun([batch([A, B], [ok(0), ok(1)], [])], [capture('pay-b', 200)]);
		expect(findings).toMatchObject({ phantomSuccesses: 2, unreportedCaptures: 1 });
	});

	test('lost, repeated and misordered outputs', () => {
		const findings = checkRun([batch([A, B, { paymentToken: 'pay-c', amount: 1 }], [ok(1), ok(0), ok(1)], [])], [capture('pay-a', 100), capture('pay-b', 250)]);
		// Item 2 missing, item 1 twice; item 0 after item 1.
		expect(findings).toMatchObject({ lostItems: 2, outOfOrder: 1 });
	});

	test.each([
		['no duplicateOfItem', {}],
		['an item of another payment', { duplicateOfItem: 1 }],
		['a later item', { duplicateOfItem: 3 }],
		['itself', { duplicateOfItem: 2 }],
		['an item that was itself a repeat', { duplicateOfItem: 3, extra: true }],
	])("'handled_by_earlier_item' pointing at %s is a bad pointer", (_what, pointer) => {
		const orders = [A, B, { paymentToken: 'PAY-A', amount: 3 }, { paymentToken: 'pay-a ', amount: 4 }];
		const repeatOf = (item: number, target: number) => failed(item, 'handled_by_earlier_item', { duplicateOfItem: target });
		const errors = 'extra' in pointer ? [repeatOf(2, 3), repeatOf(3, 0)] : [failed(2, 'handled_by_earlier_item', pointer), repeatOf(3, 0)];
		const findings = checkRun([batch(orders, [ok(0), ok(1)], errors)], [capture('pay-a', 100), capture('pay-b', 250)]);
		expect(findings).toEqual({ items: 4, ...clean, badDuplicatePointers: 1 });
	});

	test("in a later run, 'handled_by_earlier_item' may point at an item of an earlier run", () => {
		const findings = checkRun(
			[batch([B, A], [ok(0), ok(1)], []), batch([{ paymentToken: '\tPAY-A\n', amount: 3 }], [], [failed(0, 'handled_by_earlier_item', { duplicateOfItem: 1 })])],
			[capture('pay-b', 250), capture('pay-a', 100)],
		);
		expect(findings).toEqual({ items: 3, ...clean });
	});

	test('an outcome the fault rules out is unexpected (a success, or not_captured, where only unknown fits)', () => {
		const onlyUnknown: ItemOutcome[][] = [['unknown'], ['unknown']];
		const findings = checkRun([batch([A, B], [ok(0)], [failed(1, 'not_captured')], onlyUnknown)], [capture('pay-a', 100)]);
		expect(findings).toEqual({ items: 2, ...clean, unexpectedOutcomes: 2 });
	});
});
