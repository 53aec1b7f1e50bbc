import { captureRequests, ledger, useTestbed } from '../helpers/testbed';
import { LETPAY_TOOL_TYPE } from '../helpers/nodeTypes';
import { freshPaymentToken } from '../helpers/captures';

let TOKEN = '';
beforeEach(() => {
	TOKEN = freshPaymentToken();
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
