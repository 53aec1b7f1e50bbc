import { captureRequests, ledger, useTestbed } from '../../helpers/testbed';
import { OTHER_PAYMENT_TOKEN as OTHER, PAYMENT_TOKEN as TOKEN } from '../../helpers/captures';

const fullWidth = (text: string) => text.replace(/[0-9a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/*
 * Letpay has no idempotency key: the node itself sends a payment at most once per execution.
 * Payment tokens are UUIDs, so letter case and surrounding white space do not make another payment.
 */
describe('a payment is sent at most once per execution', () => {
	// Case-insensitive look-up is the dangerous reading of Letpay: a variant would capture again.
	const testbed = useTestbed({ paymentTokenMatching: 'case-insensitive', repeatCaptures: 'allow' });
	beforeEach(() => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' });
		testbed.emulator.preAuthorize({ paymentToken: OTHER, amount: '10.00' });
	});

	const duplicateOf = (token: string, item: number, earlier: string) =>
		`Payment Token "${token}" in item ${item} names the same payment as ${earlier}: a payment is sent to Letpay at most once per execution`;

	describe.each([
		['the same token once trimmed', ` ${TOKEN} `, TOKEN],
		['the token in upper case', TOKEN.toUpperCase(), TOKEN.toUpperCase()],
		['the token in mixed case, padded', `\t${TOKEN.slice(0, 8).toUpperCase()}${TOKEN.slice(8)}`, `${TOKEN.slice(0, 8).toUpperCase()}${TOKEN.slice(8)}`],
	])('item 3 is %s', (_what, variant, sentAs) => {
		const orders = [
			{ paymentToken: TOKEN, amount: 10 },
			{ paymentToken: OTHER, amount: 5 },
			{ paymentToken: variant, amount: 10 },
		];

		test('default: the workflow stops before any request is sent', async () => {
			const { error } = await testbed.run({ orders });

			expect(error?.message).toBe(duplicateOf(sentAs, 3, 'item 1'));
			expect(testbed.emulator.requests).toEqual([]);
		});

		test('continue on fail: the first is captured, item 3 is an error item that points at item 1', async () => {
			const { success, failed } = await testbed.run({ orders, onError: 'continueErrorOutput' });

			expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(failed).toMatchObject([
				{
					json: {
						error: expect.objectContaining({
							message: duplicateOf(sentAs, 3, 'item 1'),
							// Not "not captured": item 1 did capture this payment.
							outcome: 'handled_by_earlier_item',
							retryAdvice: 'never',
							duplicateOfItem: 0,
						}),
					},
					pairedItem: { item: 2 },
				},
			]);
			expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000], [OTHER]: [500] });
		});

		test('"Skip the Later Items": item 3 is passed on as skipped', async () => {
			const { success } = await testbed.run({ orders, parameters: { options: { duplicateTokens: 'skip' } } });

			expect(success[2]).toEqual({
				json: { skipped: true, reason: duplicateOf(sentAs, 3, 'item 1'), duplicateOfItem: 0, duplicateOfRun: 1 },
				pairedItem: { item: 2 },
			});
			expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000], [OTHER]: [500] });
		});
	});

	test('the node run twice in one execution (Loop Over Items, two branches): the second run does not send it again', async () => {
		const { success, failed } = await testbed.run({
			orders: [{ paymentToken: TOKEN, amount: 10 }],
			laterBatches: [[{ paymentToken: OTHER, amount: 5 }, { paymentToken: TOKEN.toUpperCase(), amount: 10 }]],
			onError: 'continueErrorOutput',
		});

		expect(success.map((item) => item.json.paymentToken)).toEqual([TOKEN, OTHER]);
		expect(failed.map((item) => (item.json.error as { message: string }).message)).toEqual([
			duplicateOf(TOKEN.toUpperCase(), 2, 'item 1 of run 1 of this node'),
		]);
		expect(captureRequests(testbed.emulator)).toHaveLength(2);
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000], [OTHER]: [500] });
	});

	test('a new execution starts afresh: the same payment is sent again, and Letpay decides', async () => {
		await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }] });
		await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }] });

		// What the node cannot see (another execution, a re-sent webhook) reaches Letpay; the README
		// says how to guard against it.
		expect(captureRequests(testbed.emulator)).toHaveLength(2);
	});
});

/*
 * A payment token holds only ASCII letters, digits and "._~-" (Letpay's are UUIDs): anything
 * else is refused before a request exists. Look-alikes (a zero-width space, full-width
 * characters, a Cyrillic letter, the "ſ" that Unicode case folding equates with "s") would
 * otherwise pass deduplication and capture again a payment Letpay treats as the same.
 */
describe('look-alike payment tokens', () => {
	const testbed = useTestbed({ paymentTokenMatching: 'case-insensitive', repeatCaptures: 'allow' });
	beforeEach(() => testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' }));

	test.each([
		['with a zero-width space at its end', `${TOKEN}\u200B`],
		['with a zero-width no-break space inside', `${TOKEN.slice(0, 8)}\u2060${TOKEN.slice(8)}`],
		['in full-width letters and digits', fullWidth(TOKEN)],
		['with the Cyrillic "а" for the Latin "a"', TOKEN.replace('a', '\u0430')],
	])('the token %s is refused before anything is sent', async (_what, variant) => {
		const { failed } = await testbed.run({
			orders: [
				{ paymentToken: TOKEN, amount: 10 },
				{ paymentToken: variant, amount: 10 },
			],
			onError: 'continueErrorOutput',
		});

		expect(captureRequests(testbed.emulator)).toHaveLength(1);
		expect(failed[0]?.json.error).toMatchObject({ outcome: 'not_captured', retryAdvice: 'after_fixing_input', letpayCodes: [] });
	});

	test('tokens equal under Unicode case folding ("s" and "ſ") are one payment', async () => {
		const withS = 'capture-test-s-0001';
		await testbed.run({
			orders: [
				{ paymentToken: withS, amount: 10 },
				{ paymentToken: withS.replace('-s-', '-\u017f-'), amount: 10 },
			],
			onError: 'continueErrorOutput',
		});

		expect(captureRequests(testbed.emulator)).toHaveLength(1);
	});
});
