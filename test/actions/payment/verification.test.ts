import { LETPAY_TOOL_TYPE } from '../../helpers/nodeTypes';
import { capture, token } from '../../letpayEmulator/emulatorClient';
import { captureRequests, ledger, useTestbed } from '../../helpers/testbed';
import { freshPaymentToken } from '../../helpers/captures';

let TOKEN = '';
let order = { paymentToken: '', amount: 10 };
beforeEach(() => {
	TOKEN = freshPaymentToken();
	order = { paymentToken: TOKEN, amount: 10 };
});
const lookups = (emulator: { requests: Array<{ path: string }> }) => emulator.requests.filter((r) => r.path.startsWith('/transactionDetails'));
/** Allowance for scheduling, sign-in and the deadline watcher's 50 ms tick. */
const SLACK_MS = 600;

/*
 * Letpay has no idempotency key, so when an answer leaves a capture's outcome unknown the node
 * looks the payment up, as a payment engineer would, and reports what Letpay shows.
 */
describe('Capture verifies an uncertain outcome by looking the payment up', () => {
	const testbed = useTestbed({ repeatCaptures: 'allow' });
	beforeEach(() => testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' }));

	test.each([
		['a 502 from the acquirer', { kind: 'bad-gateway', captured: true } as const, {}],
		['no answer within the timeout', { kind: 'hang', captured: true } as const, { timeout: 1000 }],
		['a reset after Letpay read it', { kind: 'reset-after-capture' } as const, {}],
		['a redirect', { kind: 'redirect', status: 302, location: '/elsewhere', captured: true } as const, {}],
	])('with default options, %s behind which Letpay did capture ends as captured, marked verified', async (_what, fault, options) => {
		testbed.emulator.injectFault(TOKEN, fault);

		const { success, failed } = await testbed.run({ orders: [order], parameters: { options }, onError: 'continueErrorOutput', verification: 'default' });

		expect(failed).toEqual([]);
		expect(success[0].json).toMatchObject({
			success: true,
			paymentToken: TOKEN,
			transactionStatus: 'PROCESSING',
			amount: 10,
			verified: { by: 'look-up', checks: 1, windowMs: 10_000, lastStatus: 'PROCESSING', after: expect.any(String) },
		});
		expect(captureRequests(testbed.emulator)).toHaveLength(1); // verified, never resent
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});

	test('still PRE_AUTHORIZED through the whole window: still unknown (a capture in flight can hide longer), looked up several times, nothing resent', async () => {
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway' });

		const { failed } = await testbed.run({ orders: [order], onError: 'continueErrorOutput', verification: 1500 });

		expect(failed[0].json.error).toMatchObject({
			message: 'Letpay showed this payment still pre-authorized at the end of the verification window, so the outcome of the capture is unknown',
			outcome: 'unknown',
			retryAdvice: 'check_status_first',
			verified: { lastStatus: 'PRE_AUTHORIZED', windowMs: 1500 },
		});
		expect(lookups(testbed.emulator).length).toBeGreaterThanOrEqual(2);
		expect(captureRequests(testbed.emulator)).toHaveLength(1);
	});

	test('a capture that shows up in look-ups only after a lag shorter than the window is found', async () => {
		testbed.emulator.configure({ lookupLagMs: 700 });
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway', captured: true });
		try {
			const { success } = await testbed.run({ orders: [order], onError: 'continueErrorOutput', verification: 3000 });

			expect(success[0].json).toMatchObject({ verified: { lastStatus: 'PROCESSING' } });
			expect((success[0].json.verified as { checks: number }).checks).toBeGreaterThan(1);
		} finally {
			testbed.emulator.configure({ lookupLagMs: 0 });
		}
	});

	/*
	 * Why the node never resends a capture on the strength of a look-up: a capture still in flight
	 * at the acquirer can show PRE_AUTHORIZED for longer than any window. Verification reports what
	 * Letpay showed; a resend here would have taken the money twice.
	 */
	test('a capture invisible for longer than the window is reported as unknown (never "not captured"), and nothing is ever resent on it', async () => {
		testbed.emulator.configure({ lookupLagMs: 5000 });
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway', captured: true });
		try {
			const { failed } = await testbed.run({ orders: [order], onError: 'continueErrorOutput', verification: 1000 });

			expect(failed[0].json.error).toMatchObject({ outcome: 'unknown', verified: { lastStatus: 'PRE_AUTHORIZED' } });
			expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
			expect(captureRequests(testbed.emulator)).toHaveLength(1);
		} finally {
			testbed.emulator.configure({ lookupLagMs: 0 });
		}
	});

	test('no look-up answers: the outcome stays unknown, and the item says what verification saw', async () => {
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway', captured: true });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'bad-gateway' }, 20);

		const { failed } = await testbed.run({ orders: [order], onError: 'continueErrorOutput', verification: 1000 });

		expect(failed[0].json.error).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first', verified: { lastStatus: null } });
		expect((failed[0].json.error as { description: string }).description).toMatch(/Verification: no look-up answered after \d+ look-ups \(Letpay could not look up this payment/);
	});

	test('captured, but not this amount (an earlier partial capture): unknown, never "captured"', async () => {
		await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 4 }] });
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway' });

		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 6 }], onError: 'continueErrorOutput', verification: 1000 });

		expect(failed[0].json.error).toMatchObject({ outcome: 'unknown', verified: { lastStatus: 'PROCESSING, 4 of 10 captured' } });
	});

	test('Verification Window 0 turns it off: the raw answer, unknown', async () => {
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway', captured: true });

		const { failed } = await testbed.run({ orders: [order], parameters: { options: { verificationWindow: 0 } }, onError: 'continueErrorOutput', verification: 'default' });

		expect(failed[0].json.error).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first' });
		expect(lookups(testbed.emulator)).toEqual([]);
	});
});

/*
 * Verification calls a capture verified only when the payment's captured total is its earlier
 * total plus this request's amount (Letpay's payment_amount is the payment's total). After an
 * earlier partial capture of the same amount, a capture that never happened stays "unknown",
 * never "captured".
 */
describe('verification after an earlier partial capture of the same amount', () => {
	const testbed = useTestbed({ repeatCaptures: 'allow' });

	test('a second partial capture of 5.00 that Letpay did NOT take is never reported as captured', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		// Yesterday: 5.00 captured (first shipment).
		await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 5 }] });
		// Today: 5.00 for the second shipment; the acquirer fails (502) and captures nothing.
		testbed.emulator.injectFault(TOKEN, { kind: 'bad-gateway', captured: false });

		const { success, failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 5 }], onError: 'continueErrorOutput', verification: 1000 });

		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [500] }); // only yesterday's capture
		expect(success).toEqual([]);
		expect(failed[0].json.error).toMatchObject({ outcome: 'unknown' });
	});
});

describe('Capture of a payment that was captured before', () => {
	const testbed = useTestbed();
	beforeEach(async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		await testbed.run({ orders: [order] });
	});

	test('default: the item fails, saying when and how much was captured (from a look-up)', async () => {
		const { failed } = await testbed.run({ orders: [order], onError: 'continueErrorOutput' });

		expect(failed[0].json.error).toMatchObject({
			message: 'This payment was captured before (10 BRL, PROCESSING)',
			outcome: 'already_captured_or_expired',
			retryAdvice: 'never',
			letpayCodes: ['01.05.0003'],
			letpayStatus: 'PROCESSING',
			capturedAmount: 10,
		});
	});

	test('If Already Captured → Output as Captured: re-running yesterday\'s batch is safe and quiet', async () => {
		const { success, failed } = await testbed.run({ orders: [order], parameters: { options: { ifAlreadyCaptured: 'output' } }, onError: 'continueErrorOutput' });

		expect(failed).toEqual([]);
		expect(success[0].json).toEqual({
			success: true,
			alreadyCaptured: true,
			paymentToken: TOKEN,
			transactionStatus: 'PROCESSING',
			amount: 10,
			letpayStatus: 'PROCESSING',
			capturedAmount: 10,
		});
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});
});

/*
 * If Already Captured → Output as Captured outputs "already captured" as a success only when
 * Letpay holds exactly this amount captured. With 4.00 captured, a capture of 10.00 stays an
 * error item: a success would mark the order paid in full.
 */
describe('"already captured" with another amount captured', () => {
	const testbed = useTestbed();
	const output = { options: { ifAlreadyCaptured: 'output' } };

	beforeEach(async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		// An earlier run captured 4.00 only (a partial capture, or a corrected amount).
		await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 4 }] });
	});

	test('Letpay refuses with 01.05.0003 and shows 4.00 captured: a capture of 10.00 is not output as captured', async () => {
		const { success, failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], parameters: output, onError: 'continueErrorOutput' });

		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [400] });
		expect(success).toEqual([]);
		expect(failed[0].json.error).toMatchObject({ capturedAmount: 4 });
	});

	test('Check Before Capture after 4.00 was captured: a capture of 10.00 is not output as captured', async () => {
		const { success, failed } = await testbed.run({
			orders: [{ paymentToken: TOKEN, amount: 10 }],
			parameters: { options: { ifAlreadyCaptured: 'output', checkBeforeCapture: true } },
			onError: 'continueErrorOutput',
		});

		expect(captureRequests(testbed.emulator)).toHaveLength(1); // only the earlier run's
		expect(success).toEqual([]);
		// This process captured it moments ago: refused before any look-up.
		expect(failed[0].json.error).toMatchObject({ outcome: 'handled_by_earlier_item' });
	});
});

describe('Check Before Capture', () => {
	const testbed = useTestbed();
	const checkFirst = { options: { checkBeforeCapture: true } };

	test('a pre-authorized payment: one look-up, then the capture', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });

		const { success } = await testbed.run({ orders: [order], parameters: checkFirst });

		expect(success[0].json).toMatchObject({ success: true, transactionStatus: 'PROCESSING' });
		expect(testbed.emulator.requests.filter((r) => r.path !== '/auth').map((r) => r.method)).toEqual(['GET', 'POST']);
	});

	test('a payment captured elsewhere (another n8n process, by hand): the look-up shows it, nothing is sent', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		await capture(testbed.emulator, await token(testbed.emulator), '{"amount": 10}', TOKEN);

		const { failed } = await testbed.run({ orders: [order], parameters: checkFirst, onError: 'continueErrorOutput' });

		expect(failed[0].json.error).toMatchObject({ message: 'This payment was already captured', outcome: 'already_captured_or_expired', retryAdvice: 'never' });
		expect(captureRequests(testbed.emulator)).toHaveLength(1);
	});

	test('a payment this n8n captured moments ago (a re-sent webhook): refused even before Letpay shows it', async () => {
		testbed.emulator.configure({ lookupLagMs: 60_000 });
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		try {
			await testbed.run({ orders: [order] });
			const { failed } = await testbed.run({ orders: [order], parameters: checkFirst, onError: 'continueErrorOutput' });

			expect(failed[0].json.error).toMatchObject({
				message: 'This n8n sent a capture of this payment within the last 1 minute (captured), so nothing was sent',
				outcome: 'handled_by_earlier_item',
				retryAdvice: 'never',
			});
			expect(captureRequests(testbed.emulator)).toHaveLength(1);
		} finally {
			testbed.emulator.configure({ lookupLagMs: 0 });
		}
	});

	test('a payment that is not pre-authorized any more: nothing is sent', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00', status: 'CANCELED' });

		const { failed } = await testbed.run({ orders: [order], parameters: checkFirst, onError: 'continueErrorOutput' });

		expect(failed[0].json.error).toMatchObject({
			message: 'This payment is not pre-authorized (Letpay shows CANCELED), so nothing was sent',
			outcome: 'not_captured',
			retryAdvice: 'never',
		});
		expect(captureRequests(testbed.emulator)).toEqual([]);
	});

	test('always on when an AI agent calls the node as a tool (agents repeat tool calls)', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		await testbed.run({ orders: [order], nodeType: LETPAY_TOOL_TYPE });
		const repeated = await testbed.run({ orders: [order], nodeType: LETPAY_TOOL_TYPE, onError: 'continueErrorOutput' });

		expect(lookups(testbed.emulator)).toHaveLength(1);
		expect(captureRequests(testbed.emulator)).toHaveLength(1);
		expect(repeated.failed[0].json.error).toMatchObject({ outcome: 'handled_by_earlier_item', retryAdvice: 'never' });
	});
});

/*
 * No item is held longer than its Verification Window plus its Timeout. The look-ups after
 * "already captured" and before a capture (Check Before Capture) keep to that bound rather than
 * being repeated up to Max Retries, and a verification look-up gets little more than what the
 * window has left: a Letpay that hangs on look-ups cannot hold a workflow beyond its settings.
 */
describe('follow-up look-ups are bounded by the verification window', () => {
	const testbed = useTestbed();

	test('after "already captured", hanging look-ups hold the item no longer than window + timeout', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }] });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'hang' }, 10);
		const options = { timeout: 2000, verificationWindow: 1000 };

		const started = Date.now();
		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], parameters: { options }, onError: 'continueErrorOutput' });
		const elapsed = Date.now() - started;

		expect(failed[0].json.error).toMatchObject({ outcome: 'already_captured_or_expired' });
		expect(lookups(testbed.emulator).length).toBeGreaterThanOrEqual(1);
		expect(elapsed).toBeLessThan(options.timeout + options.verificationWindow + SLACK_MS);
	}, 20_000);

	test('Check Before Capture: hanging look-ups hold the item no longer than window + timeout', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'hang' }, 10);
		const options = { timeout: 2000, verificationWindow: 1000, checkBeforeCapture: true };

		const started = Date.now();
		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], parameters: { options }, onError: 'continueErrorOutput' });
		const elapsed = Date.now() - started;

		expect(failed[0].json.error).toMatchObject({ outcome: 'not_captured' });
		expect(captureRequests(testbed.emulator)).toEqual([]);
		expect(elapsed).toBeLessThan(options.timeout + options.verificationWindow + SLACK_MS);
	}, 20_000);

	test('a verification look-up never outlives the window by more than the slack', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		testbed.emulator.injectFault(TOKEN, { kind: 'hang' });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'hang' }, 5);
		const options = { timeout: 1000 };
		const window = 100;

		const started = Date.now();
		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], parameters: { options }, onError: 'continueErrorOutput', verification: window });
		const elapsed = Date.now() - started;

		expect(failed[0].json.error).toMatchObject({ outcome: 'unknown' });
		expect(elapsed).toBeLessThan(options.timeout + window + SLACK_MS);
	}, 20_000);
});
