import { captureRequests, requestsTo, useTestbed, type Testbed } from '../../helpers/testbed';
import { freshPaymentToken, OTHER_PAYMENT_TOKEN as OTHER, PAYMENT_TOKEN as TOKEN } from '../../helpers/captures';

const getParameters = { operation: 'get', preAuthorizedPayment: '={{ $json.paymentToken }}' };

/** A Get whose look-ups meet five 502s in a row (Letpay's documented 00.03.0001), with this Max Retries. */
async function getAfterBadGateways(testbed: Testbed, maxRetries: number) {
	testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
	testbed.emulator.injectLookupFault(TOKEN, { kind: 'bad-gateway' }, 5);
	return await testbed.run({ orders: [{ paymentToken: TOKEN }], parameters: { ...getParameters, options: { maxRetries } }, onError: 'continueErrorOutput' });
}

/*
 * Payment → Get (GET /transactionDetails): Letpay's look-up of a payment as a flat item, paired
 * with the input item that asked. Get Many by Reference, and the look-up dates both operations
 * output, are tested in getManyByReference.operation.test.ts.
 * A test that also captures uses a payment token of its own (freshPaymentToken): the node
 * remembers the captures this process sent, so a later test of this file would see them.
 */
describe('Payment → Get', () => {
	const start = Date.parse('2026-11-24T10:00:00Z');
	const testbed = useTestbed({ now: () => start });

	test('one flat item per input item: status, amounts, card, dates in ISO 8601; nothing captured', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', reference: 'order-1' });
		testbed.emulator.preAuthorize({ paymentToken: OTHER, amount: '5.00', status: 'DECLINED' });

		const { success, failed } = await testbed.run({
			orders: [{ paymentToken: TOKEN }, { paymentToken: OTHER }],
			parameters: getParameters,
			onError: 'continueErrorOutput',
		});

		expect(failed).toEqual([]);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(success[0].json).toEqual({
			paymentToken: TOKEN,
			transactionStatus: 'PRE_AUTHORIZED',
			transactionId: 'tx-8f048623',
			externalId: 'order-1',
			orderAmount: 100,
			currency: 'BRL',
			capturedAmount: 0,
			refundedAmount: 0,
			cardNumber: '411111******1111',
			cardScheme: 'VISA',
			expiresAt: '2026-11-29T10:00:00.000Z',
			errorCode: null,
			errorDescription: null,
		});
		expect(success[1].json).toMatchObject({ transactionStatus: 'DECLINED', errorCode: '01.03.0001', errorDescription: 'Transaction declined' });
		expect(captureRequests(testbed.emulator)).toEqual([]);
	});

	test("Include Letpay Answer adds Letpay's answer, without its live access token", async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00' });

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN }], parameters: { ...getParameters, options: { includeRaw: true } } });

		expect(Object.keys(success[0].json.letpay as object)).toEqual(['general_info', 'payment_info', 'customer_info']);
	});

	test('an unknown payment: an error item that says so; a look-up never moves money', async () => {
		const { failed } = await testbed.run({ orders: [{ paymentToken: 'no-such-payment' }], parameters: getParameters, onError: 'continueErrorOutput' });

		expect(failed[0].json.error).toMatchObject({
			message: 'Letpay could not look up this payment: Letpay has no payment by that name',
			outcome: 'no_money_moved',
			retryAdvice: 'after_fixing_input',
			letpayCodes: ['00.01.0038'],
		});
	});

	test('a look-up is safe to repeat: a 502 and a reset are resent, with backoff', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00' });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'bad-gateway' });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'reset-before-read' });

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN }], parameters: getParameters });

		expect(success[0].json.transactionStatus).toBe('PRE_AUTHORIZED');
		expect(testbed.emulator.requests.filter((r) => r.path.startsWith('/transactionDetails')).map((r) => r.status)).toEqual([502, 'reset', 200]);
	});

	test('a look-up that keeps failing ends after Max Retries, advising to try later', async () => {
		const { failed } = await getAfterBadGateways(testbed, 1);

		expect(failed[0].json.error).toMatchObject({ outcome: 'no_money_moved', retryAdvice: 'later', attempts: 2 });
	});

	test('the token rules of Capture apply: nothing is sent for a token that cannot name a payment', async () => {
		const { failed } = await testbed.run({ orders: [{ paymentToken: '../auth' }], parameters: getParameters, onError: 'continueErrorOutput' });

		expect((failed[0].json.error as { message: string }).message).toMatch(/^Invalid Payment Token in item 1: /);
		expect(testbed.emulator.requests).toEqual([]);
	});
});

/*
 * Look-ups read a 2xx by what it says, as captures do: a 2xx carrying Letpay's error envelope is
 * a failed look-up (no_money_moved, with its codes), never a payment whose fields are all null.
 * Check Before Capture (always on for AI tools) then never reads "no status" as "not
 * pre-authorized" and never advises against capturing a payment that awaits its capture.
 */
describe("a look-up answered 2xx with Letpay's error envelope", () => {
	const testbed = useTestbed();
	const envelope = (code: string, description: string) => ({
		kind: 'answer' as const,
		status: 200,
		body: { status: 200, message: description, errors: [{ code, description }] },
	});

	test('Get: the item is an error (no_money_moved) with the code, not a payment with every field null', async () => {
		testbed.emulator.injectLookupFault(TOKEN, envelope('00.01.0038', 'This transaction id paymentToken could not be found.'));

		const { success, failed } = await testbed.run({ orders: [{ paymentToken: TOKEN }], parameters: getParameters, onError: 'continueErrorOutput' });

		expect(success).toEqual([]);
		expect(failed[0].json.error).toMatchObject({ outcome: 'no_money_moved', letpayCodes: ['00.01.0038'] });
	});

	test('Check Before Capture: a look-up that only says "internal error, try later" does not advise never capturing', async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		testbed.emulator.injectLookupFault(paymentToken, envelope('00.05.0001', 'Internal error, please try again later'));

		const { failed } = await testbed.run({ orders: [{ paymentToken, amount: 10 }], parameters: { options: { checkBeforeCapture: true } }, onError: 'continueErrorOutput' });

		expect(captureRequests(testbed.emulator)).toEqual([]);
		expect(failed[0].json.error).toMatchObject({ outcome: 'not_captured' });
		expect((failed[0].json.error as { retryAdvice: string }).retryAdvice).not.toBe('never');
	});
});

/*
 * A failed look-up sent no capture (outcome no_money_moved), so its message never speaks of a
 * capture or of an unknown outcome, whatever Letpay's text says (its documented 502, 00.03.0001,
 * ends "so its outcome is unknown"): a builder must not take a failed look-up for a capture in doubt.
 * (Get Many by Reference: getManyByReference.operation.test.ts.)
 */
describe('a failed look-up does not speak of a capture', () => {
	const testbed = useTestbed();

	test("Get after Letpay's documented 502 (00.03.0001): the message does not say a capture's outcome is unknown", async () => {
		const { failed } = await getAfterBadGateways(testbed, 0);

		const { message, outcome } = failed[0].json.error as { message: string; outcome: string };
		expect(outcome).toBe('no_money_moved');
		expect(message).not.toMatch(/capture|outcome is unknown/);
	});
});

/*
 * Max Retries of Get / Get Many is clamped to 0..10 whatever its value, since an expression or
 * an imported workflow bypasses the editor's limit (NaN and Infinity fall back to the default).
 * A 429 with Retry-After: 0 is resent at once, so the clamp is what bounds one item's look-ups.
 * (Get Many by Reference: getManyByReference.operation.test.ts.)
 */
describe('look-up resends are bounded', () => {
	const testbed = useTestbed();

	test('Get: Max Retries 1000 (from an expression) still resends a look-up at most 10 times', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		testbed.emulator.injectLookupFault(TOKEN, { kind: 'rate-limit', retryAfterSeconds: 0 }, 40);

		await testbed.run({ orders: [{ paymentToken: TOKEN }], parameters: { ...getParameters, options: { maxRetries: 1000 } }, onError: 'continueErrorOutput' });

		expect(requestsTo(testbed.emulator, '/transactionDetails').length).toBeLessThanOrEqual(11);
	});
});

/*
 * Include Letpay Answer outputs Letpay's answer without its access token: the token is removed
 * wherever it appears (a nested `refresh_token`, a message that quotes it), not only at the top
 * level. testbed.run's leak check fails the run on any token left in the run data.
 */
describe('Get → Include Letpay Answer never outputs the access token', () => {
	const testbed = useTestbed();

	test('an answer that repeats its refresh_token elsewhere does not put the token into the output', async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		await testbed.run({ orders: [{ paymentToken, amount: 1 }] }); // signs in
		const [accessToken] = testbed.emulator.issuedAccessTokens;
		testbed.emulator.injectLookupFault(paymentToken, {
			kind: 'answer',
			status: 200,
			body: {
				general_info: { transaction_status: 'PROCESSING', transaction_id: 'tx-1' },
				payment_info: { payment_amount: 1, order_amount: 10, order_currency: 'BRL' },
				message: `Session ${accessToken} renewed`,
				session: { refresh_token: accessToken },
				refresh_token: accessToken,
			},
		});

		const { success } = await testbed.run({
			orders: [{ paymentToken }],
			parameters: { ...getParameters, options: { includeRaw: true } },
		});

		expect(JSON.stringify(success)).not.toContain(accessToken);
	});
});

/*
 * Statuses are read in any letter case and output in Letpay's documented spelling ('Processing'
 * is PROCESSING, 'paid' is PAID). A verified capture is then reported captured, not "unknown", and
 * builders who branch on `transactionStatus === 'PAID'` see what Letpay said.
 */
describe('transaction statuses in another letter case', () => {
	const testbed = useTestbed();
	const details = (status: string, amount: number) => ({
		kind: 'answer' as const,
		status: 200,
		body: { general_info: { transaction_status: status }, payment_info: { payment_amount: amount, order_amount: 10, order_currency: 'BRL' } },
	});

	test("verification: 'Processing' with exactly this amount is a verified capture", async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		testbed.emulator.injectFault(paymentToken, { kind: 'bad-gateway', captured: true });
		testbed.emulator.injectLookupFault(paymentToken, details('Processing', 10));

		const { success } = await testbed.run({ orders: [{ paymentToken, amount: 10 }], onError: 'continueErrorOutput', verification: 1000 });

		expect(success[0]?.json).toMatchObject({ success: true, transactionStatus: 'PROCESSING' });
	});

	test("Get: transactionStatus is Letpay's status in its documented spelling", async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		testbed.emulator.injectLookupFault(TOKEN, details('paid', 10));

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN }], parameters: getParameters });

		expect(success[0].json.transactionStatus).toBe('PAID');
	});
});

/*
 * n8n's guideline: an output of more than 10 fields gets a Simplify option. The node's version 2
 * (what the editor adds now) has it, on by default; version 1 keeps every field, so that existing
 * workflows keep their output.
 */
describe('Payment → Get: Simplify (node version 2)', () => {
	const testbed = useTestbed();
	const ALL_FIELDS = ['paymentToken', 'transactionStatus', 'transactionId', 'externalId', 'orderAmount', 'currency', 'capturedAmount', 'refundedAmount', 'cardNumber', 'cardScheme', 'expiresAt', 'errorCode', 'errorDescription'];
	const getWith = async (typeVersion: number, simple?: boolean) => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00' });
		const parameters = { ...getParameters, ...(simple === undefined ? {} : { simple }) };
		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN }], parameters, nodeSettings: { typeVersion } });
		return success[0].json;
	};

	test('version 2, by default: the nine fields a builder needs', async () => {
		const json = await getWith(2);

		expect(Object.keys(json).sort()).toEqual(['capturedAmount', 'currency', 'errorCode', 'errorDescription', 'expiresAt', 'orderAmount', 'paymentToken', 'refundedAmount', 'transactionStatus']);
		expect(json).toMatchObject({ paymentToken: TOKEN, transactionStatus: 'PRE_AUTHORIZED', orderAmount: 100 });
	});

	test('version 2 with Simplify off: every field', async () => {
		expect(Object.keys(await getWith(2, false)).sort()).toEqual([...ALL_FIELDS].sort());
	});

	test('version 1: every field, as before Simplify existed (a Simplify value saved in it is ignored)', async () => {
		expect(Object.keys(await getWith(1)).sort()).toEqual([...ALL_FIELDS].sort());
		expect(Object.keys(await getWith(1, true)).sort()).toEqual([...ALL_FIELDS].sort());
	});
});
