import type { OnError } from '../../helpers/runWorkflow';
import { firstError, OTHER_PAYMENT_TOKEN as TOKEN_B, PAYMENT_TOKEN as TOKEN_A } from '../../helpers/captures';
import { captureRequests, ledger, useTestbed } from '../../helpers/testbed';

const TOKEN_C = '2f1c0103-b6fe-4e99-864c-d20c68b97a85';

describe('Letpay Capture through n8n-core WorkflowExecute against the emulator', () => {
	const testbed = useTestbed();

	test('captures a pre-authorized payment once and outputs its status', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN_A, amount: '123.45' });

		const { success, error } = await testbed.run({ orders: [{ paymentToken: TOKEN_A, amount: 123.45 }] });

		expect(error).toBeUndefined();
		expect(success).toEqual([
			{
				json: {
					success: true,
					paymentToken: TOKEN_A,
					transactionStatus: 'PROCESSING',
					amount: 123.45,
					captureRequestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN_A]: [12345] });
		expect(captureRequests(testbed.emulator).map((r) => r.body)).toEqual(['{"amount":123.45}']);
	});

	test("Letpay's refresh_token reaches the output only when the user asks for it", async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN_A, amount: '10.00' });
		testbed.emulator.preAuthorize({ paymentToken: TOKEN_B, amount: '10.00' });

		const hidden = await testbed.run({ orders: [{ paymentToken: TOKEN_A, amount: 10 }] });
		const shown = await testbed.run({
			orders: [{ paymentToken: TOKEN_B, amount: 10 }],
			parameters: { options: { includeRefreshToken: true } },
		});

		expect(hidden.success[0].json).not.toHaveProperty('refreshToken');
		expect(testbed.emulator.issuedAccessTokens).toContain(shown.success[0].json.refreshToken);
	});

	test('several items with expressions: each amount sent exactly to the cent, in input order', async () => {
		const orders = [
			{ paymentToken: TOKEN_A, net: 0.1, tax: 0.2 }, // 0.30000000000000004 in floating point
			{ paymentToken: TOKEN_B, net: 1.15, tax: 0 },
			{ paymentToken: ` ${TOKEN_C} `, net: '4.35', tax: 0 }, // strings from a spreadsheet
		];
		for (const token of [TOKEN_A, TOKEN_B, TOKEN_C]) {
			testbed.emulator.preAuthorize({ paymentToken: token, amount: '100.00' });
		}

		const { success } = await testbed.run({
			orders,
			parameters: { amount: '={{ typeof $json.net === "string" ? $json.net : $json.net + $json.tax }}' },
		});

		expect(success.map((item) => [item.json.paymentToken, item.json.amount, item.pairedItem])).toEqual([
			[TOKEN_A, 0.3, { item: 0 }],
			[TOKEN_B, 1.15, { item: 1 }],
			[TOKEN_C, 4.35, { item: 2 }],
		]);
		expect(captureRequests(testbed.emulator).map((r) => r.body)).toEqual([
			'{"amount":0.30}',
			'{"amount":1.15}',
			'{"amount":4.35}',
		]);
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN_A]: [30], [TOKEN_B]: [115], [TOKEN_C]: [435] });
	});

	test('checks every item before the first request: one bad amount stops the run with nothing captured', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN_A, amount: '10.00' });
		testbed.emulator.preAuthorize({ paymentToken: TOKEN_B, amount: '10.00' });

		const { error, success } = await testbed.run({
			orders: [
				{ paymentToken: TOKEN_A, amount: 10 },
				{ paymentToken: TOKEN_B, amount: '12,34' },
			],
		});

		expect(error?.message).toBe(
			'Invalid Amount in item 2: "12,34" uses a comma: write the decimal separator as a dot, e.g. 12.34',
		);
		expect(error?.description).toContain('Nothing was sent to Letpay for this item.');
		expect(success).toEqual([]);
		expect(testbed.emulator.requests).toEqual([]);
	});

	// In a URL path "." is removed: /token/./capture would be sent as POST /token/capture.
	test.each<[OnError, string]>([
		['stopWorkflow', '.'],
		['continueErrorOutput', '.'],
		['continueErrorOutput', ' . '],
	])('On Error %s: Payment Token %p is refused and nothing is sent', async (onError, paymentToken) => {
		const result = await testbed.run({ orders: [{ paymentToken, amount: 10 }], onError });

		expect(firstError(result)?.message).toBe(
			`Invalid Payment Token in item 1: ${JSON.stringify(paymentToken)} is a lone dot, which would change the request path`,
		);
		expect(testbed.emulator.requests).toEqual([]);
	});
});
