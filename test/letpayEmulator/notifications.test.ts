import { capture, lookup, token, TOKEN } from './emulatorClient';
import type { LetpayEmulator } from './index';
import { withReceiver } from './notificationReceiver';

/*
 * Letpay calls a payment's `notification_url` when its status changes, and documents neither the
 * body, nor a signature, nor retries. These tests are the emulator's specification of those calls,
 * which the Letpay Trigger is tested against: when they go out, what they carry in each shape, and
 * what the emulator records of the answers.
 */
const SECOND = '0d9f3c5e-7b1a-4c2e-9f6d-2a8b4c6e8f01';
const NOW = Date.parse('2026-11-24T10:00:00Z');
/** A fixed clock: dates in bodies are exact, and only real time (the settle timer) moves statuses. */
const clock = { now: () => NOW, paidAfterMs: 150 };

async function captureNow(emulator: LetpayEmulator, amount = '60.5') {
	return capture(emulator, await token(emulator), `{"amount": ${amount}}`);
}

async function statusLookedUp(emulator: LetpayEmulator) {
	const { body } = await lookup(emulator, await token(emulator), `/transactionDetails/${TOKEN}`);
	return { ...(body.general_info as object), ...(body.payment_info as object) } as Record<string, unknown>;
}

describe('emulator notifications: when Letpay calls notification_url', () => {
	test('flat shape: PROCESSING on capture, to the URL as given (query kept), JSON, Letpay look-up names', async () => {
		await withReceiver(clock, async (emulator, receiver) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', reference: 'order-1', notificationUrl: `${receiver.url}/webhook/letpay?secret=s3cr3t&x=1` });
			await captureNow(emulator);

			const [processing] = await receiver.waitFor(1);

			expect(processing).toMatchObject({ method: 'POST', url: '/webhook/letpay?secret=s3cr3t&x=1', contentType: 'application/json' });
			expect(processing.body).toBe(
				`{"payment_token":"${TOKEN}","transaction_status":"PROCESSING","reference_id":"order-1","order_amount":100,` +
					'"order_currency":"BRL","payment_amount":60.5,"refunded_amount":0,"event_date":"2026-11-24 10:00:00"}',
			);
		});
	});

	test('nested shape (notificationShape), to the emulator-wide notificationUrl', async () => {
		await withReceiver({ ...clock, notificationShape: 'nested' }, async (emulator, receiver) => {
			emulator.configure({ notificationUrl: `${receiver.url}/all` });
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00' });
			await captureNow(emulator);

			const [processing] = await receiver.waitFor(1);

			expect(processing.url).toBe('/all');
			expect(processing.json).toEqual({
				event: 'payment.status_changed',
				data: { paymentToken: TOKEN, status: 'PROCESSING', reference: null, currency: 'BRL', orderAmount: 100, paymentAmount: 60.5, refundedAmount: 0, updatedAt: '2026-11-24T10:00:00.000+0000' },
			});
		});
	});

	test("a payment's own URL wins over the emulator's; without any URL nobody is called", async () => {
		await withReceiver({ ...clock, repeatCaptures: 'allow' }, async (emulator, receiver) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', notificationUrl: `${receiver.url}/own` });
			emulator.preAuthorize({ paymentToken: SECOND, amount: '100.00' });
			const accessToken = await token(emulator);
			await capture(emulator, accessToken, '{"amount": 10}', SECOND);
			emulator.configure({ notificationUrl: `${receiver.url}/default` });
			await capture(emulator, accessToken, '{"amount": 10}');
			// A second partial capture changes no status: no second PROCESSING.
			await capture(emulator, accessToken, '{"amount": 10}');

			await receiver.waitFor(2);
			await new Promise((resolve) => setTimeout(resolve, 100));
			expect(receiver.received.map((call) => [call.url, (call.json as { transaction_status: string }).transaction_status])).toEqual([
				['/own', 'PROCESSING'],
				['/own', 'PAID'],
			]);
		});
	});

	test("Letpay's capture answer never waits for the notification", async () => {
		await withReceiver({ ...clock, notificationTimeoutMs: 5_000 }, async (emulator, receiver) => {
			receiver.delayMs = 1_500;
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', notificationUrl: receiver.url });
			const accessToken = await token(emulator);

			const started = Date.now();
			const answer = await capture(emulator, accessToken, '{"amount": 10}');

			expect(answer.status).toBe(200);
			expect(Date.now() - started).toBeLessThan(1_000);
			expect(emulator.notifications).toEqual([expect.objectContaining({ status: 'PROCESSING', result: 'pending' })]);
		});
	});

	test('PAID paidAfterMs after the capture; a look-up made after the PAID notification shows PAID', async () => {
		await withReceiver(clock, async (emulator, receiver) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', notificationUrl: receiver.url });
			const started = Date.now();
			await captureNow(emulator);

			const [processing, paid] = await receiver.waitFor(2);

			expect(processing.json).toMatchObject({ transaction_status: 'PROCESSING' });
			expect(paid.json).toMatchObject({ transaction_status: 'PAID', payment_amount: 60.5, refunded_amount: 0 });
			expect(paid.at - started).toBeGreaterThanOrEqual(150);
			// The emulator's clock never moved: the notification itself settles the payment for look-ups.
			expect(await statusLookedUp(emulator)).toMatchObject({ transaction_status: 'PAID', payment_amount: 60.5 });
		});
	});

	test('declineCapture: PROCESSING, then DECLINED with nothing taken; look-ups agree', async () => {
		await withReceiver(clock, async (emulator, receiver) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', notificationUrl: receiver.url, declineCapture: true });
			await captureNow(emulator);

			const [processing, declined] = await receiver.waitFor(2);

			expect(processing.json).toMatchObject({ transaction_status: 'PROCESSING', payment_amount: 60.5 });
			expect(declined.json).toMatchObject({ transaction_status: 'DECLINED', payment_amount: 0 });
			expect(await statusLookedUp(emulator)).toMatchObject({ transaction_status: 'DECLINED', payment_amount: 0, error_code: '01.03.0001' });
		});
	});

	test('setStatus REFUNDED (part of it) after PAID: notified with the refunded amount; look-ups agree', async () => {
		await withReceiver(clock, async (emulator, receiver) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', notificationUrl: receiver.url });
			await captureNow(emulator);
			await receiver.waitFor(2);

			emulator.setStatus(TOKEN, 'REFUNDED', { refundedAmount: '20.00' });
			const refunded = (await receiver.waitFor(3))[2];

			expect(refunded.json).toMatchObject({ transaction_status: 'REFUNDED', payment_amount: 60.5, refunded_amount: 20 });
			expect(await statusLookedUp(emulator)).toMatchObject({ transaction_status: 'REFUNDED', payment_amount: 60.5, refunded_amount: 20 });
		});
	});

	test('setStatus CANCELED before it settles: CANCELED, no PAID ever, and captures are refused', async () => {
		await withReceiver(clock, async (emulator, receiver) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', notificationUrl: receiver.url });
			await captureNow(emulator);
			emulator.setStatus(TOKEN, 'CANCELED');

			await receiver.waitFor(2);
			const again = await captureNow(emulator);
			await new Promise((resolve) => setTimeout(resolve, 300));

			expect(receiver.received.map((call) => call.json)).toEqual([
				expect.objectContaining({ transaction_status: 'PROCESSING' }),
				expect.objectContaining({ transaction_status: 'CANCELED', payment_amount: 0 }),
			]);
			expect(again.body).toMatchObject({ status: 422, errors: [{ code: '00.04.0012' }] });
			expect(() => emulator.setStatus('never-pre-authorized', 'REFUNDED')).toThrow(/No pre-authorized payment/);
		});
	});
	test('setStatus DISPUTE: notified; look-ups show DISPUTE with the capture', async () => {
		await withReceiver(clock, async (emulator, receiver) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', notificationUrl: receiver.url });
			await captureNow(emulator);
			await receiver.waitFor(2);

			emulator.setStatus(TOKEN, 'DISPUTE');

			expect((await receiver.waitFor(3))[2].json).toMatchObject({ transaction_status: 'DISPUTE', payment_amount: 60.5 });
			expect(await statusLookedUp(emulator)).toMatchObject({ transaction_status: 'DISPUTE', payment_amount: 60.5 });
		});
	});
});

describe('emulator notifications: the log of what was sent and answered', () => {
	test('each call: URL, status claimed, exact body, when, and the answer', async () => {
		await withReceiver({ ...clock, notificationShape: 'nested' }, async (emulator, receiver) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', notificationUrl: `${receiver.url}/hook?secret=1` });
			await captureNow(emulator);
			await receiver.waitFor(2);
			await emulator.notificationsIdle();

			expect(emulator.notifications).toEqual(
				['PROCESSING', 'PAID'].map((status, index) => ({
					url: `${receiver.url}/hook?secret=1`,
					paymentToken: TOKEN,
					status,
					body: receiver.received[index].body,
					at: expect.any(Number),
					result: 'delivered',
					statusCode: 200,
					answer: '{"received":true}',
				})),
			);
		});
	});

	test.each([
		['an error status', { status: 500 }, { statusCode: 500, error: 'callMerchant error : 500' }],
		['no answer in time', { delayMs: 1_000 }, { error: 'callMerchant error : timed out after 200 ms' }],
	])('%s is recorded as failed, as Letpay does (00.03.0005)', async (_what, behaviour, recorded) => {
		await withReceiver({ ...clock, notificationTimeoutMs: 200 }, async (emulator, receiver) => {
			Object.assign(receiver, behaviour);
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', notificationUrl: receiver.url });
			await captureNow(emulator);
			await receiver.waitFor(1);
			await emulator.notificationsIdle();

			expect(emulator.notifications[0]).toMatchObject({ status: 'PROCESSING', result: 'failed', ...recorded });
		});
	});

	test('a URL nobody listens on is recorded as failed; Letpay does not retry by itself', async () => {
		await withReceiver(clock, async (emulator, receiver) => {
			const unreachable = receiver.url;
			await receiver.close();
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '100.00', notificationUrl: unreachable });
			await captureNow(emulator);
			await new Promise((resolve) => setTimeout(resolve, 300));
			await emulator.notificationsIdle();

			expect(emulator.notifications.map(({ status, result, error }) => ({ status, result, error }))).toEqual([
				{ status: 'PROCESSING', result: 'failed', error: 'callMerchant error : ECONNREFUSED' },
				{ status: 'PAID', result: 'failed', error: 'callMerchant error : ECONNREFUSED' },
			]);
		});
	});
});
