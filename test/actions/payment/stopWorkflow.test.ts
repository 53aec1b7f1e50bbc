import type { Fault } from '../../letpayEmulator';
import { ordersFor, paymentTokens, preAuthorizeAll, PAYMENT_TOKEN as TOKEN } from '../../helpers/captures';
import { ledger, useTestbed } from '../../helpers/testbed';

const NOT_PRE_AUTHORIZED = "The payment token was not pre-authorized, so it can't be captured.";

/*
 * On Error "Stop Workflow" (n8n's default): the run has no output, so the error that stops it is
 * the only place a builder can learn which payments were captured before it stopped. At
 * concurrency 5, items 1-5 are sent together; item 3 fails at once while the others take 300 ms:
 * items 1, 2, 4 and 5 finish (they were in flight), items 6-10 are never sent.
 */
describe('"Stop Workflow": the error says what happened to every item', () => {
	const testbed = useTestbed();
	const tokens = paymentTokens(10, 'stop');
	const failing = 2;
	const succeeded = [0, 1, 3, 4];

	async function stoppedRun(fault: Fault) {
		preAuthorizeAll(testbed.emulator, tokens, (index) => (index === failing ? 0 : 300));
		testbed.emulator.injectFault(tokens[failing], fault);
		const { error, success } = await testbed.run({ orders: ordersFor(tokens), parameters: { options: { concurrency: 5 } } });
		expect(success).toEqual([]);
		return { error, description: String(error?.description), itemResults: error?.context?.itemResults };
	}

	describe.each<[string, Fault, string, Record<string, string>, string[]]>([
		[
			'Letpay refuses item 3 (422, not pre-authorized)',
			{ kind: 'letpay-error', status: 422, code: '00.04.0010', message: NOT_PRE_AUTHORIZED },
			'failed, not captured: item 3;',
			{ outcome: 'not_captured', retryAdvice: 'never', message: 'This payment was not pre-authorized, so it cannot be captured' },
			[],
		],
		[
			'item 3 meets a 502 after Letpay captured it (outcome unknown)',
			{ kind: 'bad-gateway', captured: true },
			'outcome not certain, check these in Letpay: item 3;',
			{ outcome: 'unknown', retryAdvice: 'check_status_first', message: 'Letpay could not complete the capture with the card acquirer, so its outcome is unknown' },
			[tokens[failing]],
		],
	])('%s', (_what, fault, failedPart, failure, capturedToo) => {
		test('the captured and the failed items, with their payment tokens; the ledger agrees', async () => {
			const { error, description, itemResults } = await stoppedRun(fault);

			expect(error?.message).toBe(failure.message);
			expect(description).toMatch(/^Item 3: /);
			expect(description).toContain(`What happened to its items: succeeded: items 1, 2, 4, 5; ${failedPart}`);
			expect(itemResults).toMatchObject({
				succeeded: succeeded.map((itemIndex) => ({ itemIndex, paymentToken: tokens[itemIndex] })),
				failed: [{ itemIndex: failing, paymentToken: tokens[failing], ...failure }],
			});
			// Letpay's ledger: what "succeeded" lists, plus an unknown outcome that did capture.
			const inLedger = Object.keys(ledger(testbed.emulator)).sort();
			expect(inLedger).toEqual([...succeeded.map((index) => tokens[index]), ...capturedToo].sort());
		});

		// Items the stopped pool never started are the ones a builder must send again.
		test('the items never sent: listed as not sent', async () => {
			const { description, itemResults } = await stoppedRun(fault);

			expect(description).toContain(`${failedPart} not sent: items 6, 7, 8, 9, 10.`);
			expect(itemResults).toMatchObject({ notSent: [5, 6, 7, 8, 9] });
		});
	});
});

/*
 * With On Error → Stop Workflow the error's description is the only account of the run, so it
 * files each item by what a reader must do: an item still pre-authorized after the window (its
 * capture may be in flight) is listed to check in Letpay, never as "failed, not captured" next to
 * "run again"; a look-up is never called "captured", and failed look-ups are listed.
 */
describe('the stop-workflow summary with verified and look-up items', () => {
	const testbed = useTestbed({ repeatCaptures: 'allow', lookupLagMs: 5000 });

	test('an item still PRE_AUTHORIZED after the window, which Letpay did capture, is not summarised as "failed, not captured"', async () => {
		// Not the first describe's 'stop-…' tokens: the node remembers the captures this process sent.
		const tokens = paymentTokens(2, 'stop-summary');
		preAuthorizeAll(testbed.emulator, tokens);
		testbed.emulator.injectFault(tokens[0], { kind: 'bad-gateway', captured: true });

		const { error } = await testbed.run({ orders: ordersFor(tokens), parameters: { options: { concurrency: 1 } }, verification: 800 });

		expect(ledger(testbed.emulator)).toEqual({ [tokens[0]]: [1000] }); // it was captured
		expect(error?.message).toBe('Letpay showed this payment still pre-authorized at the end of the verification window, so the outcome of the capture is unknown');
		expect(error?.description).not.toMatch(/failed, not captured: item 1\b/);
		expect(error?.description).toMatch(/check (these|this|them) in Letpay[^;]*item 1\b/);
	});

	test('Get: a look-up is never summarised as "captured", and a failed look-up is listed', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });

		const { error } = await testbed.run({
			orders: [{ paymentToken: TOKEN }, { paymentToken: 'no-such-payment' }],
			parameters: { operation: 'get', preAuthorizedPayment: '={{ $json.paymentToken }}', options: { concurrency: 1 } },
		});

		expect(error?.message).toMatch(/^Letpay could not look up this payment/);
		expect(error?.description).not.toMatch(/succeeded \(captured\)/);
		expect(error?.description).toMatch(/item 2\b/);
	});
});
