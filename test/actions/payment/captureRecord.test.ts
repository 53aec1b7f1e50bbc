import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { LETPAY_TOOL_TYPE } from '../../helpers/nodeTypes';
import { createCredentials, runCaptureWorkflow } from '../../helpers/runWorkflow';
import { captureRequests, ledger, useTestbed } from '../../helpers/testbed';
import { capture, token } from '../../letpayEmulator/emulatorClient';
import { freshPaymentToken } from '../../helpers/captures';

/*
 * One record of what this n8n process did to a payment (captureChecks.ts): a capture is marked
 * in flight before it is sent, Check Before Capture refuses while a mark is set, Letpay's refusal
 * clears it, and the record belongs to Letpay's origin and the payment, not to a credential.
 * Verification credits a capture only when the money moved once for what the item asked.
 * (Issue 18, defects 1-3: each found by the money model.)
 */
let TOKEN = '';
beforeEach(() => {
	TOKEN = freshPaymentToken();
});
const checkFirst = { options: { checkBeforeCapture: true } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errorOf = (items: Array<{ json: IDataObject }>) => items[0]?.json.error as IDataObject | undefined;

describe('what this process did to a payment', () => {
	// Partial captures accepted, and look-ups a minute behind: a second capture would be taken.
	const testbed = useTestbed({ repeatCaptures: 'allow', lookupLagMs: 60_000 });
	beforeEach(() => testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' }));

	test.each([
		['a re-sent webhook with Check Before Capture', { parameters: checkFirst }],
		['an AI agent calling the tool twice in parallel', { nodeType: LETPAY_TOOL_TYPE }],
	])('%s, 400 ms after a capture still in flight: refused, captured once', async (_what, spec) => {
		testbed.emulator.injectFault(TOKEN, { kind: 'latency', ms: 1500 });
		const order = { paymentToken: TOKEN, amount: 10 };

		const [first, repeat] = await Promise.all([
			testbed.run({ orders: [order], onError: 'continueErrorOutput', ...spec }),
			sleep(400).then(async () => await testbed.run({ orders: [order], onError: 'continueErrorOutput', ...spec })),
		]);

		expect(first.success[0].json).toMatchObject({ success: true });
		expect(errorOf(repeat.failed)).toMatchObject({
			message: 'This n8n sent a capture of this payment within the last 1 minute (still in flight), so nothing was sent',
			outcome: 'handled_by_earlier_item',
			retryAdvice: 'check_status_first',
		});
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});

	test('a capture sent with the secret before it was rotated is still this process’s: refused', async () => {
		await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }] });
		const rotated = { ...testbed.account, apiSecret: `rotated-${randomUUID()}` };
		testbed.emulator.addApiKey(rotated);
		testbed.credentials.store('letpayApi', { ...testbed.credentials.storedData('letpayApi'), ...rotated, accessToken: '' });

		const repeat = await testbed.run({ orders: [{ paymentToken: TOKEN.toUpperCase(), amount: 10 }], parameters: checkFirst, onError: 'continueErrorOutput' });

		expect(errorOf(repeat.failed)).toMatchObject({ outcome: 'handled_by_earlier_item', retryAdvice: 'never' });
		expect(captureRequests(testbed.emulator)).toHaveLength(1);
	});

	test('a repeated tool call through another host name of the same Letpay (localhost for 127.0.0.1): refused, captured once', async () => {
		testbed.emulator.injectFault(TOKEN, { kind: 'latency', ms: 1500 });
		const viaAlias = createCredentials();
		viaAlias.store('letpayApi', { environment: 'custom', baseUrl: testbed.emulator.url.replace('127.0.0.1', 'localhost'), ...testbed.account });
		const order = { paymentToken: TOKEN, amount: 10 };

		const [first, repeat] = await Promise.all([
			testbed.run({ orders: [order], onError: 'continueErrorOutput', nodeType: LETPAY_TOOL_TYPE }),
			sleep(400).then(async () => await runCaptureWorkflow({ orders: [order], onError: 'continueErrorOutput', nodeType: LETPAY_TOOL_TYPE }, viaAlias)),
		]);

		expect(first.success[0].json).toMatchObject({ success: true });
		expect(errorOf(repeat.failed)).toMatchObject({ outcome: 'handled_by_earlier_item', retryAdvice: 'check_status_first' });
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});

	test('Letpay refused the first capture: the mark is cleared, and the corrected item is sent', async () => {
		const refused = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 25 }], onError: 'continueErrorOutput' });
		const corrected = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 20 }], parameters: checkFirst, onError: 'continueErrorOutput' });

		expect(errorOf(refused.failed)).toMatchObject({ letpayCodes: ['00.04.0011'], outcome: 'not_captured' });
		expect(corrected.success[0].json).toMatchObject({ success: true, amount: 20 });
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [2000] });
	});
});

describe('verification credits a capture only when the money moved once for what the item asked', () => {
	const testbed = useTestbed({ repeatCaptures: 'allow' });
	beforeEach(() => testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' }));

	test('split shipments of 5.00: the second gets a 502 that captured nothing, and the look-up shows the first 5.00: unknown, never "captured"', async () => {
		// The first shipment was captured elsewhere: by another worker, or yesterday.
		await capture(testbed.emulator, await token(testbed.emulator), '{"amount": 5.00}', TOKEN);
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway' });

		const { success, failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 5 }], onError: 'continueErrorOutput', verification: 600 });

		expect(success).toEqual([]);
		expect(errorOf(failed)).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first', verified: { lastStatus: 'PROCESSING, 5 of 10 captured' } });
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [500] });
	});

	test('this process captured the two halves itself; the whole then gets a 502 that captured nothing: unknown, not "captured"', async () => {
		const halves = [await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 5 }] }), await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 5 }] })];
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway' });

		const whole = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput', verification: 600 });

		expect(halves.map((half) => half.success[0].json.success)).toEqual([true, true]);
		expect(whole.success).toEqual([]);
		expect(errorOf(whole.failed)).toMatchObject({ outcome: 'unknown', verified: { lastStatus: 'PROCESSING, and this n8n sent other captures of this payment lately' } });
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [500, 500] });
	});

	test('while the whole amount\'s 502 is being verified, another execution of this process captures the payment: unknown, not "captured"', async () => {
		// The 502 captured nothing; the other execution's capture is what the look-up then shows.
		// (Found by the money model's soak: the process's other captures were counted only
		// before this one was sent.)
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway' });
		const verified = testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput', verification: 1_000 });
		await sleep(150);
		const other = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }] });
		const { success, failed } = await verified;

		expect(other.success[0].json).toMatchObject({ success: true });
		expect(success).toEqual([]);
		expect(errorOf(failed)).toMatchObject({ outcome: 'unknown', verified: { lastStatus: 'PROCESSING, and this n8n sent other captures of this payment lately' } });
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});

	test('the whole pre-authorized amount, and the payment holds exactly that: captured, attributed to the payment', async () => {
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway', captured: true });

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput', verification: 600 });

		expect(success[0].json).toMatchObject({ success: true, verified: { by: 'look-up', attribution: 'payment', lastStatus: 'PROCESSING' } });
	});

	test('Output as Captured answers Letpay’s own refusal only, not Check Before Capture’s look-up', async () => {
		await capture(testbed.emulator, await token(testbed.emulator), '{"amount": 10.00}', TOKEN);

		const { success, failed } = await testbed.run({
			orders: [{ paymentToken: TOKEN, amount: 10 }],
			onError: 'continueErrorOutput',
			parameters: { options: { checkBeforeCapture: true, ifAlreadyCaptured: 'output' } },
		});

		expect(success).toEqual([]);
		expect(errorOf(failed)).toMatchObject({ message: 'This payment was already captured', outcome: 'already_captured_or_expired', retryAdvice: 'never' });
	});
});

/*
 * A capture can stay invisible to look-ups (PRE_AUTHORIZED) for a while, so Check Before Capture,
 * always on for AI tools, also remembers the captures this process sent. A repeated tool call,
 * including one that follows "still pre-authorized, outcome unknown", never captures a second time:
 * where the acquirer accepts repeated partial captures, that would take the money twice.
 */
describe('an AI agent repeats a capture that look-ups do not show yet', () => {
	const testbed = useTestbed({ repeatCaptures: 'allow', lookupLagMs: 5000 });

	test('a repeated tool call right after a successful capture does not capture a second time', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' });
		const order = { paymentToken: TOKEN, amount: 10 };

		const first = await testbed.run({ orders: [order], nodeType: LETPAY_TOOL_TYPE, onError: 'continueErrorOutput' });
		expect(first.success[0].json).toMatchObject({ success: true });
		await testbed.run({ orders: [order], nodeType: LETPAY_TOOL_TYPE, onError: 'continueErrorOutput' });

		expect(captureRequests(testbed.emulator)).toHaveLength(1);
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});

	test('after "still pre-authorized, outcome unknown" the tool\'s own check does not lead to a second capture', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' });
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway', captured: true });
		const order = { paymentToken: TOKEN, amount: 10 };

		const first = await testbed.run({ orders: [order], nodeType: LETPAY_TOOL_TYPE, onError: 'continueErrorOutput', verification: 1000 });
		expect(first.failed[0].json.error).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first' });
		// The agent follows the advice: it calls the tool again, and the tool checks first.
		await testbed.run({ orders: [order], nodeType: LETPAY_TOOL_TYPE, onError: 'continueErrorOutput', verification: 1000 });

		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});
});
