import type { INodeExecutionData } from 'n8n-workflow';

import type { CaptureRecord } from '../letpayEmulator';
import type { Order } from './faultPlan';

export interface RunFindings {
	items: number;
	lostItems: number;
	doubleCaptures: number;
	/** Captured by Letpay while the node reported a clean failure (or nothing). */
	unreportedCaptures: number;
	/** Reported as captured without a ledger entry of the same amount. */
	phantomSuccesses: number;
	outOfOrder: number;
}

const cents = (amount: unknown) => Math.round(Number(amount) * 100);

/** The promises a merchant relies on, checked item by item against the emulator's ledger. */
export function checkRun(orders: Order[], success: INodeExecutionData[], failed: INodeExecutionData[], ledger: CaptureRecord[]): RunFindings {
	const outcomeByIndex = new Map<number, INodeExecutionData>();
	let outOfOrder = 0;
	for (const branch of [success, failed]) {
		let previous = -1;
		for (const item of branch) {
			const index = (item.pairedItem as { item: number }).item;
			if (index <= previous) outOfOrder++;
			previous = index;
			outcomeByIndex.set(index, item);
		}
	}
	const capturesByToken = new Map<string, CaptureRecord[]>();
	for (const capture of ledger) capturesByToken.set(capture.paymentToken, [...(capturesByToken.get(capture.paymentToken) ?? []), capture]);

	let unreportedCaptures = 0;
	let phantomSuccesses = 0;
	orders.forEach((order, index) => {
		const item = outcomeByIndex.get(index);
		const captures = capturesByToken.get(order.paymentToken) ?? [];
		const error = item?.json.error as { outcome?: string } | undefined;
		if (item && !error && !(captures.length === 1 && captures[0].amountCents === cents(order.amount))) phantomSuccesses++;
		if (captures.length > 0 && (!item || error?.outcome === 'not_captured')) unreportedCaptures++;
	});
	return {
		items: orders.length,
		lostItems: orders.length - outcomeByIndex.size + Math.max(0, success.length + failed.length - orders.length),
		doubleCaptures: [...capturesByToken.values()].filter((captures) => captures.length > 1).length,
		unreportedCaptures,
		phantomSuccesses,
		outOfOrder,
	};
}
