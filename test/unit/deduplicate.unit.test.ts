import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { deduplication, type CaptureRequest } from '../../nodes/Letpay/actions/payment/capture.operation';
import { duplicateFilter, type Prepared } from '../../nodes/Letpay/actions/deduplicate';
import { PAYMENT_TOKEN } from '../helpers/captures';

const node: INode = { id: '1', name: 'Letpay', type: 'n8n-nodes-letpay.letpay', typeVersion: 1, position: [0, 0], parameters: {} };

/** A node context that lives as long as one execution, as n8n's does: runs of the node share it. */
function execution() {
	const context: IDataObject = {};
	return { getContext: () => context, getNode: () => node } as unknown as IExecuteFunctions;
}

const capture = (paymentToken: string, duplicateTokens: 'fail' | 'skip' = 'fail') => ({ ok: true as const, request: { paymentToken, duplicateTokens } as CaptureRequest });

/*
 * A payment is sent at most once per execution: items are checked in index order, and a later
 * item with the same payment (in any letter case) fails or is skipped before anything is sent.
 */
describe('one payment per execution (unit)', () => {
	test('the second item with a payment, in another letter case, fails and names the first', () => {
		const filter = duplicateFilter(execution(), deduplication);
		expect(filter(capture(PAYMENT_TOKEN), 0)).toMatchObject({ ok: true });
		const later = filter(capture(PAYMENT_TOKEN.toUpperCase()), 1) as Extract<Prepared<CaptureRequest>, { ok: false }>;

		expect(later).toMatchObject({ ok: false, duplicateOfItem: 0 });
		expect(later.error.message).toContain('names the same payment as item 1');
	});

	test('Skip the Later Items: a skipped item, never sent', () => {
		const filter = duplicateFilter(execution(), deduplication);
		filter(capture(PAYMENT_TOKEN), 0);
		expect(filter(capture(PAYMENT_TOKEN, 'skip'), 3)).toMatchObject({ ok: 'skip', json: { skipped: true, duplicateOfItem: 0, duplicateOfRun: 1 } });
	});

	test('a later run of the node in the same execution remembers the earlier one', () => {
		const ctx = execution();
		duplicateFilter(ctx, deduplication)(capture(PAYMENT_TOKEN), 2);
		const later = duplicateFilter(ctx, deduplication)(capture(PAYMENT_TOKEN), 0) as Extract<Prepared<CaptureRequest>, { ok: false }>;

		expect(later.error.message).toContain('item 3 of run 1 of this node');
	});

	test('a new execution starts empty; tokens such as __proto__ are payments like any other', () => {
		expect(duplicateFilter(execution(), deduplication)(capture(PAYMENT_TOKEN), 0)).toMatchObject({ ok: true });
		const filter = duplicateFilter(execution(), deduplication);
		expect(filter(capture('__proto__'), 0)).toMatchObject({ ok: true });
		expect(filter(capture('constructor'), 1)).toMatchObject({ ok: true });
		expect(filter(capture('__proto__'), 2)).toMatchObject({ ok: false, duplicateOfItem: 0 });
	});
});
