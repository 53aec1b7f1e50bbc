import { capture, token, TOKEN } from './emulatorClient';
import type { LetpayEmulator } from './index';
import { withReceiver, type Received } from './notificationReceiver';

/*
 * What a trigger must survive, since Letpay documents no signature, retry schedule or ordering:
 * notifications anyone can forge, the same one sent again (in turn or at once), one that comes
 * late, and notifications that arrive in another order than they happened.
 */
const NEVER_SEEN = '5b2e8c1a-3d4f-4e6a-8b9c-0d1e2f3a4b5c';
const options = { now: () => Date.parse('2026-11-24T10:00:00Z'), paidAfterMs: 100 };

const statuses = (calls: Received[]) => calls.map((call) => (call.json as { transaction_status?: string }).transaction_status);

async function preAuthorizeAndCapture(emulator: LetpayEmulator, notificationUrl: string) {
	emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00', notificationUrl });
	await capture(emulator, await token(emulator), '{"amount": 10}');
}

describe('emulator notifications: sent by hand (forged)', () => {
	test("Letpay's body for the payment now, with another status, in another shape, to another URL", async () => {
		await withReceiver(options, async (emulator, receiver) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00', notificationUrl: `${receiver.url}/own` });

			const now = await emulator.notify(TOKEN);
			const claimed = await emulator.notify(TOKEN, { status: 'PAID', shape: 'nested', url: `${receiver.url}/elsewhere?secret=guess` });

			expect(receiver.received.map((call) => call.url)).toEqual(['/own', '/elsewhere?secret=guess']);
			expect(receiver.received[0].json).toMatchObject({ payment_token: TOKEN, transaction_status: 'PRE_AUTHORIZED', payment_amount: 0 });
			expect(receiver.received[1].json).toMatchObject({ event: 'payment.status_changed', data: { paymentToken: TOKEN, status: 'PAID' } });
			// notify() resolves once answered, with what the emulator logged.
			expect([...now, ...claimed]).toEqual(emulator.notifications);
			expect(claimed).toEqual([expect.objectContaining({ status: 'PAID', result: 'delivered', statusCode: 200 })]);
		});
	});

	test('any body: an object as JSON, a string exactly as given (not even JSON), for a payment Letpay never saw', async () => {
		await withReceiver(options, async (emulator, receiver) => {
			await emulator.notify(NEVER_SEEN, { url: receiver.url, body: { payment_token: NEVER_SEEN, transaction_status: 'PAID', extra: [1] } });
			await emulator.notify(NEVER_SEEN, { url: receiver.url, body: 'payment_token=x&status=PAID' });
			await emulator.notify(NEVER_SEEN, { url: receiver.url });

			expect(receiver.received.map((call) => call.body)).toEqual([
				`{"payment_token":"${NEVER_SEEN}","transaction_status":"PAID","extra":[1]}`,
				'payment_token=x&status=PAID',
				expect.stringContaining(`"transaction_status":"PAID","reference_id":null,"order_amount":0`),
			]);
			expect(emulator.notifications.map((record) => record.status)).toEqual([undefined, undefined, 'PAID']);
		});
	});

	test('no URL anywhere: notify() refuses', async () => {
		await withReceiver(options, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			expect(() => emulator.notify(TOKEN)).toThrow(/No notification URL/);
		});
	});
});

describe('emulator notifications: faults', () => {
	test('duplicate: the same notification, byte for byte, sent count times one after another', async () => {
		await withReceiver({ ...options, paidAfterMs: 1_000 }, async (emulator, receiver) => {
			receiver.delayMs = 50;
			emulator.injectNotificationFault(TOKEN, { kind: 'duplicate', count: 3 });
			await preAuthorizeAndCapture(emulator, receiver.url);

			const calls = await receiver.waitFor(4);

			expect(statuses(calls)).toEqual(['PROCESSING', 'PROCESSING', 'PROCESSING', 'PAID']);
			expect(new Set(calls.slice(0, 3).map((call) => call.body)).size).toBe(1);
			// In turn (a retry): each copy only once the one before was answered.
			expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(50);
			expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(50);
		});
	});

	test('duplicate, concurrent: all copies at once (a race in the trigger)', async () => {
		await withReceiver(options, async (emulator, receiver) => {
			receiver.delayMs = 200;
			emulator.injectNotificationFault(TOKEN, { kind: 'duplicate', count: 2, concurrent: true });
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00', notificationUrl: receiver.url });

			const records = await emulator.notify(TOKEN, { status: 'PAID' });

			// Both were on the wire before either was answered.
			expect(records).toHaveLength(2);
			expect(Math.abs(receiver.received[0].at - receiver.received[1].at)).toBeLessThan(150);
			expect(records.every((record) => record.result === 'delivered')).toBe(true);
		});
	});

	test('late: delivered ms after the change, with the body it had then, so PAID arrives before PROCESSING', async () => {
		await withReceiver(options, async (emulator, receiver) => {
			emulator.injectNotificationFault(TOKEN, { kind: 'late', ms: 400 });
			const started = Date.now();
			await preAuthorizeAndCapture(emulator, receiver.url);

			const calls = await receiver.waitFor(2);

			expect(statuses(calls)).toEqual(['PAID', 'PROCESSING']);
			expect(calls[1].at - started).toBeGreaterThanOrEqual(400);
			await emulator.notificationsIdle();
			expect(emulator.notifications.map((record) => record.status)).toEqual(['PAID', 'PROCESSING']);
		});
	});

	test('hold: kept back until released, then sent in turn, newest first unless told otherwise', async () => {
		await withReceiver(options, async (emulator, receiver) => {
			emulator.injectNotificationFault(TOKEN, { kind: 'hold' }, 2);
			await preAuthorizeAndCapture(emulator, receiver.url);
			await new Promise((resolve) => setTimeout(resolve, 250));
			expect(emulator.heldNotifications.map((held) => held.status)).toEqual(['PROCESSING', 'PAID']);
			expect(receiver.received).toEqual([]);

			const released = await emulator.releaseNotifications();

			expect(statuses(receiver.received)).toEqual(['PAID', 'PROCESSING']);
			expect(released.map((record) => record.status)).toEqual(['PAID', 'PROCESSING']);
			expect(emulator.heldNotifications).toEqual([]);
		});
	});

	test('reset() forgets the log, held notifications, faults and a settlement on its way', async () => {
		await withReceiver(options, async (emulator, receiver) => {
			emulator.injectNotificationFault(TOKEN, { kind: 'hold' });
			await preAuthorizeAndCapture(emulator, receiver.url);
			emulator.injectNotificationFault(TOKEN, { kind: 'late', ms: 50 });

			emulator.reset();
			await new Promise((resolve) => setTimeout(resolve, 250));

			expect(receiver.received).toEqual([]);
			expect(emulator.notifications).toEqual([]);
			expect(emulator.heldNotifications).toEqual([]);
		});
	});
});

describe('emulator notifications: the control API (another process drives the emulator)', () => {
	const control = async (emulator: LetpayEmulator, route: string, body?: unknown) => {
		const response = await fetch(`${emulator.url}/__emulator/${route}`, { method: body === undefined ? 'GET' : 'POST', body: JSON.stringify(body) });
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};

	test('status, notify, notification-faults, release-notifications; the ledger lists notifications', async () => {
		await withReceiver(options, async (emulator, receiver) => {
			await control(emulator, 'preauthorize', { paymentToken: TOKEN, amount: '10.00', notificationUrl: receiver.url });
			await control(emulator, 'notification-faults', { paymentToken: TOKEN, fault: { kind: 'hold' } });
			await control(emulator, 'status', { paymentToken: TOKEN, status: 'CANCELED' });
			const forged = await control(emulator, 'notify', { paymentToken: TOKEN, status: 'PAID', body: '{"forged":true}' });
			const released = await control(emulator, 'release-notifications', { order: 'oldest-first' });
			const ledger = await control(emulator, 'ledger');

			expect(forged.body.sent).toEqual([expect.objectContaining({ body: '{"forged":true}', result: 'delivered' })]);
			expect(released.body.sent).toEqual([expect.objectContaining({ status: 'CANCELED', result: 'delivered' })]);
			expect((ledger.body.notifications as Array<{ status: string }>).map((record) => record.status)).toEqual(['PAID', 'CANCELED']);
			expect(await control(emulator, 'status', { paymentToken: NEVER_SEEN, status: 'REFUNDED' })).toMatchObject({ status: 500 });
		});
	});
});
