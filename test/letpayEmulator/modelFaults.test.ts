import { QUOTED_AUTH_TOKEN } from './index';
import { capture, lookup, token, TOKEN, withEmulator } from './emulatorClient';

/*
 * What the money model asks of the emulator beyond Letpay's examples: payments that expired or
 * were captured the day before, answers that quote the caller's token, a token refused out of
 * turn, an expiry in the middle of a run, and a request log that says what reached Letpay.
 */
describe('emulator: what the money model draws from', () => {
	test('an expired pre-authorization: capture refused with 01.05.0003, look-ups show CANCELED', async () => {
		await withEmulator({}, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00', expired: true });
			const accessToken = await token(emulator);
			const refused = await capture(emulator, accessToken, '{"amount":10.00}');
			const details = await lookup(emulator, accessToken, `/transactionDetails/${TOKEN}`);
			expect(refused).toMatchObject({ status: 422, body: { errors: [{ code: '01.05.0003', description: 'Capture already performed or expired' }] } });
			expect(details.body).toMatchObject({ general_info: { transaction_status: 'CANCELED' }, payment_info: { payment_amount: 0 } });
			expect(emulator.allCaptures()).toEqual([]);
		});
	});

	test('captured the day before: in the ledger already, visible whatever the look-up lag, and the rest can be captured', async () => {
		await withEmulator({ lookupLagMs: 60_000, repeatCaptures: 'allow' }, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00', capturedBefore: '5.00' });
			const accessToken = await token(emulator);
			const details = await lookup(emulator, accessToken, `/transactionDetails/${TOKEN}`);
			expect(details.body).toMatchObject({ general_info: { transaction_status: 'PAID' }, payment_info: { payment_amount: 5 } });
			expect((await capture(emulator, accessToken, '{"amount":5.01}')).status).toBe(422);
			expect((await capture(emulator, accessToken, '{"amount":5.00}')).status).toBe(200);
			expect(emulator.capturesOf(TOKEN).map((entry) => entry.amountCents)).toEqual([500, 500]);
		});
	});

	test('an answer can quote the X-Auth-Token the request carried, in a 200 or in an error envelope', async () => {
		await withEmulator({}, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			emulator.injectFault(TOKEN, { kind: 'answer', status: 200, body: { transaction_status: 'DECLINED', message: `declined (${QUOTED_AUTH_TOKEN})` } });
			emulator.injectFault(TOKEN, { kind: 'letpay-error', status: 422, code: '01.05.0006', message: `session ${QUOTED_AUTH_TOKEN}` });
			const accessToken = await token(emulator);
			const declined = await capture(emulator, accessToken, '{"amount":10.00}');
			const refused = await capture(emulator, accessToken, '{"amount":10.00}');
			expect(declined.body).toEqual({ transaction_status: 'DECLINED', message: `declined (${accessToken})` });
			expect(refused.body).toMatchObject({ message: `session ${accessToken}`, errors: [{ code: '01.05.0006', description: `session ${accessToken}` }] });
		});
	});

	test('faults belong to the payment: in case-insensitive matching, every spelling of it meets them, in order', async () => {
		await withEmulator({ paymentTokenMatching: 'case-insensitive' }, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			emulator.injectFault(TOKEN.toUpperCase(), { kind: 'unauthorized' });
			const accessToken = await token(emulator);
			const refused = await capture(emulator, accessToken, '{"amount":10.00}');
			const taken = await capture(emulator, accessToken, '{"amount":10.00}', TOKEN.toUpperCase());
			// A plain 401 with a live token: Letpay refused the token and did nothing else.
			expect(refused).toMatchObject({ status: 401, body: { message: 'Access Denied' } });
			expect(refused.body).not.toHaveProperty('errors');
			expect(taken.status).toBe(200);
			expect(emulator.faultsServed).toBe(1);
		});
	});

	test('the request log says which requests Letpay acted on and which took money; the expiry comes after the n-th request', async () => {
		await withEmulator({ expireTokensAfterRequests: 4 }, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			emulator.injectFault(TOKEN, { kind: 'rate-limit', retryAfterSeconds: 0 });
			emulator.injectFault(TOKEN, { kind: 'bad-gateway', captured: true });
			const accessToken = await token(emulator);
			await capture(emulator, accessToken, '{"amount":10.00}');
			await capture(emulator, accessToken, '{"amount":10.00}');
			await capture(emulator, accessToken, '{"amount":1.00}');
			const afterExpiry = await capture(emulator, accessToken, '{"amount":1.00}');
			expect(emulator.requests.map(({ path, status, reached, captured }) => [path.split('/').pop(), status, reached, captured])).toEqual([
				['auth', 200, true, false],
				['capture', 429, false, false],
				['capture', 502, true, true],
				['capture', 422, true, false],
				['capture', 401, false, false],
			]);
			expect(afterExpiry.status).toBe(401);
		});
	});
});
