import { capture, lookup, token, TOKEN, withEmulator } from './emulatorClient';

/*
 * Letpay's look-ups as its public reference shows them (API-NOTES): the status a payment has
 * follows what was captured, with the lag and the settling delay of a real acquirer.
 */
describe('emulator look-ups: GET /transactionDetails and GET /payment/reference', () => {
	let now = Date.parse('2026-11-24T10:00:00Z');
	const clock = { now: () => now };

	test('a payment moves PRE_AUTHORIZED -> PROCESSING on capture -> PAID after paidAfterMs', async () => {
		await withEmulator({ ...clock, paidAfterMs: 60_000 }, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', reference: 'order-1' });
			const accessToken = await token(emulator);
			const status = async () =>
				((await lookup(emulator, accessToken, `/transactionDetails/${TOKEN}`)).body.general_info as { transaction_status: string }).transaction_status;

			expect(await status()).toBe('PRE_AUTHORIZED');
			await capture(emulator, accessToken, '{"amount": 60.5}');
			expect(await status()).toBe('PROCESSING');
			now += 60_000;
			expect(await status()).toBe('PAID');
		});
	});

	test('transactionDetails: the documented groups and fields, amounts as numbers, dates as yyyy-MM-dd HH:mm:ss', async () => {
		await withEmulator(clock, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', reference: 'order-1', refundedAmount: '0' });
			const accessToken = await token(emulator);
			await capture(emulator, accessToken, '{"amount": 60.5}');

			const { status, body } = await lookup(emulator, accessToken, `/transactionDetails/${TOKEN}`);

			expect(status).toBe(200);
			expect(Object.keys(body)).toEqual(['general_info', 'payment_info', 'customer_info', 'refresh_token']);
			expect(body.payment_info).toMatchObject({
				order_amount: 100,
				order_currency: 'BRL',
				payment_amount: 60.5,
				refunded_amount: 0,
				error_code: null,
				card_number: '411111******1111',
				card_scheme: 'VISA',
				expiration_date: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
			});
		});
	});

	test('lookupLagMs: a capture stays invisible to look-ups for a while (the acquirer race)', async () => {
		await withEmulator({ ...clock, lookupLagMs: 5_000 }, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			const accessToken = await token(emulator);
			await capture(emulator, accessToken, '{"amount": 10}');
			const status = async () =>
				((await lookup(emulator, accessToken, `/transactionDetails/${TOKEN}`)).body.general_info as { transaction_status: string }).transaction_status;

			expect(await status()).toBe('PRE_AUTHORIZED');
			now += 5_000;
			expect(await status()).toBe('PROCESSING');
		});
	});

	test('a declined payment shows DECLINED with its error, and refuses captures (00.04.0012)', async () => {
		await withEmulator(clock, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00', status: 'DECLINED' });
			const accessToken = await token(emulator);

			const details = await lookup(emulator, accessToken, `/transactionDetails/${TOKEN}`);
			const refused = await capture(emulator, accessToken, '{"amount": 10}');

			expect(details.body).toMatchObject({ general_info: { transaction_status: 'DECLINED' }, payment_info: { error_code: '01.03.0001' } });
			expect(refused.body).toMatchObject({ status: 422, errors: [{ code: '00.04.0012' }] });
		});
	});

	test('an unknown payment token: 400 00.01.0038; an unknown reference: 404 01.04.0012', async () => {
		await withEmulator(clock, async (emulator) => {
			const accessToken = await token(emulator);

			expect(await lookup(emulator, accessToken, '/transactionDetails/nope')).toMatchObject({ status: 400, body: { errors: [{ code: '00.01.0038' }] } });
			expect(await lookup(emulator, accessToken, '/payment/reference/nope')).toMatchObject({ status: 404, body: { errors: [{ code: '01.04.0012' }] } });
		});
	});

	test('by reference: every payment of the order, camelCase as Letpay writes it there', async () => {
		await withEmulator(clock, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00', reference: 'order-7' });
			emulator.preAuthorize({ paymentToken: 'second-payment', amount: '5.00', reference: 'order-7', refundedAmount: '5.00' });
			emulator.preAuthorize({ paymentToken: 'other-order', amount: '1.00', reference: 'order-8' });
			const accessToken = await token(emulator);
			await capture(emulator, accessToken, '{"amount": 10}');

			const { status, body } = await lookup(emulator, accessToken, '/payment/reference/order-7');

			expect(status).toBe(200);
			expect(body.payments).toEqual([
				expect.objectContaining({ paymentToken: TOKEN, transactionStatus: 'PROCESSING', amount_received: 10, refunded_amount: 0, reference: 'order-7' }),
				expect.objectContaining({ paymentToken: 'second-payment', transactionStatus: 'PRE_AUTHORIZED', amount_received: 0, refunded_amount: 5 }),
			]);
		});
	});

	test('look-ups need a live access token, and take injected faults', async () => {
		await withEmulator(clock, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			const accessToken = await token(emulator);
			emulator.injectLookupFault(TOKEN, { kind: 'bad-gateway' });

			expect((await lookup(emulator, 'not-a-token', `/transactionDetails/${TOKEN}`)).status).toBe(401);
			expect((await lookup(emulator, accessToken, `/transactionDetails/${TOKEN}`)).status).toBe(502);
			expect((await lookup(emulator, accessToken, `/transactionDetails/${TOKEN}`)).status).toBe(200);
		});
	});
});
