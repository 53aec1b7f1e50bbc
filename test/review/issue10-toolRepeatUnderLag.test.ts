import { captureRequests, ledger, useTestbed } from '../helpers/testbed';
import { LETPAY_TOOL_TYPE } from '../helpers/nodeTypes';

const TOKEN = '8f048623-16c6-47da-aca1-546a16e8fb99';

/*
 * Check Before Capture is forced on for AI tools "since agents repeat tool calls". But the README
 * itself says a capture can stay invisible to look-ups (PRE_AUTHORIZED) for a while, and the
 * emulator models it (lookupLagMs). A repeated tool call inside that lag is sent again because a
 * look-up said PRE_AUTHORIZED: where the acquirer accepts repeated partial captures, the money is
 * taken twice. The same happens after "not captured (still pre-authorized after the window)",
 * which tells the agent to check first: the node's own check says PRE_AUTHORIZED and captures.
 */
describe('review issue10: an AI agent repeats a capture while the first one is not yet visible to look-ups', () => {
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

	test('after "not captured, check status first" the tool\'s own check does not lead to a second capture', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' });
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway', captured: true });
		const order = { paymentToken: TOKEN, amount: 10 };

		const first = await testbed.run({ orders: [order], nodeType: LETPAY_TOOL_TYPE, onError: 'continueErrorOutput', verification: 1000 });
		expect(first.failed[0].json.error).toMatchObject({ outcome: 'not_captured', retryAdvice: 'check_status_first' });
		// The agent follows the advice: it calls the tool again, and the tool checks first.
		await testbed.run({ orders: [order], nodeType: LETPAY_TOOL_TYPE, onError: 'continueErrorOutput', verification: 1000 });

		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});
});
