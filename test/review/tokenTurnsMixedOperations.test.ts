import type { IDataObject } from 'n8n-workflow';

import { ledger, useTestbed } from '../helpers/testbed';
import { freshPaymentToken } from '../helpers/captures';
import { LETPAY_TOOL_TYPE } from '../helpers/testNodes';
import { accountKey, issuedFor } from '../../nodes/Letpay/transport/accessTokens';

/*
 * Review attack: Letpay rotating + newest-only; in one n8n process, at the same time, a Capture run, a Get
 * run, a Get Many by Reference run and the AI-tool variant capturing, all on one account,
 * Concurrency 10, timeout 1000 ms. The store starts with a token whose signedInFor is valid for
 * another base URL (same key and secret). Checked: the foreign token is never sent, every item has
 * one output, no double capture, truthful outcomes; testbed.run checks outputs and logs for leaks.
 */
describe('review: capture, get, get-many-by-reference and the tool at once, taking turns', () => {
	const testbed = useTestbed({ refreshTokenMode: 'rotate', accessTokens: 'newest-only' });

	test('all settle, the foreign token never goes out', async () => {
		const foreign = 'foreign-account-token-0123456789';
		const stored = testbed.credentials.storedData('letpayApi');
		testbed.credentials.store('letpayApi', { ...stored, accessToken: foreign, signedInFor: issuedFor(foreign, accountKey('https://api.letpay.io', String(stored.apiKey), String(stored.apiSecret))) });

		const make = (count: number, prefix: string) =>
			Array.from({ length: count }, (_v, index) => {
				const paymentToken = freshPaymentToken();
				testbed.emulator.preAuthorize({ paymentToken, amount: '10.00', reference: `${prefix}-${index}` });
				return { paymentToken, amount: 10, reference: `${prefix}-${index}` };
			});
		const captures = make(30, 'cap');
		const gets = make(30, 'get');
		const refs = make(30, 'ref');
		const tools = make(10, 'tool');
		const options = { concurrency: 10, timeout: 1_000 };
		const started = Date.now();
		const [capture, get, byRef, tool] = await Promise.all([
			testbed.run({ orders: captures, parameters: { options }, onError: 'continueErrorOutput', workflowId: 'capture' }),
			testbed.run({ orders: gets, parameters: { operation: 'get', paymentToken: '={{ $json.paymentToken }}', options }, onError: 'continueErrorOutput', workflowId: 'get' }),
			testbed.run({ orders: refs, parameters: { operation: 'getManyByReference', reference: '={{ $json.reference }}', options }, onError: 'continueErrorOutput', workflowId: 'ref' }),
			testbed.run({ orders: tools, nodeType: LETPAY_TOOL_TYPE, parameters: { options }, onError: 'continueErrorOutput', workflowId: 'tool' }),
		]);
		const ms = Date.now() - started;
		const captured = ledger(testbed.emulator);
		const summarize = (run: typeof capture) => {
			const kinds: Record<string, number> = { success: run.success.length };
			for (const item of run.failed) {
				const error = item.json.error as IDataObject;
				const key = `${error.outcome}: ${String(error.message).slice(0, 70)}`;
				kinds[key] = (kinds[key] ?? 0) + 1;
			}
			return kinds;
		};
		const lies = [...capture.success, ...tool.success].filter((item) => captured[String(item.json.paymentToken)]?.length !== 1).length
			+ [...capture.failed, ...tool.failed].filter((item) => (item.json.error as IDataObject).outcome === 'not_captured' && captured[String(item.json.paymentToken)] !== undefined).length;
		const summary = {
			ms,
			authCalls: testbed.emulator.authCalls,
			foreignSent: testbed.emulator.requests.filter((request) => request.authToken === foreign).length,
			requests: testbed.emulator.requests.length,
			refused: testbed.emulator.requests.filter((request) => request.status === 401).length,
			outputs: [capture, get, byRef, tool].map((run) => run.success.length + run.failed.length),
			doubles: Object.values(captured).filter((list) => list.length > 1).length,
			lies,
			capture: summarize(capture),
			get: summarize(get),
			byRef: summarize(byRef),
			tool: summarize(tool),
		};
		expect(summary.foreignSent).toBe(0);
		expect(summary.outputs).toEqual([30, 30, 30, 10]);
		expect(summary.doubles).toBe(0);
		expect(summary.lies).toBe(0);
		expect(summary.authCalls).toBeLessThanOrEqual(3);
	}, 60_000);
});
