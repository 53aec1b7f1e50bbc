import { verifyCapture } from '../../nodes/Letpay/actions/payment/lookup';
import { PAYMENT_TOKEN } from '../helpers/captures';
import { fakeClient, lookupAnswer } from '../helpers/fakeClient';

const verify = async (client: ReturnType<typeof fakeClient>, askedCents: number, windowMs = 0) =>
	await verifyCapture(client, PAYMENT_TOKEN, askedCents, windowMs, 1000);

/*
 * Verification after an uncertain answer: a look-up shows a status and a captured total, never
 * who captured. Only the whole pre-authorized amount, captured, is credited to the item.
 */
describe('verification by look-up (unit)', () => {
	test('the whole pre-authorized amount captured: captured, after one look-up', async () => {
		const client = fakeClient(lookupAnswer('PROCESSING', 10, 10));

		await expect(verify(client, 1000)).resolves.toMatchObject({ finding: 'captured', checks: 1 });
		expect(client.requests).toEqual([expect.objectContaining({ method: 'GET', path: `/transactionDetails/${PAYMENT_TOKEN}`, maxRetries: 0 })]);
	});

	test('a part of the amount captured: unclear, it could be another capture', async () => {
		await expect(verify(fakeClient(lookupAnswer('PAID', 20, 10)), 1000)).resolves.toMatchObject({ finding: 'unclear', lastStatus: 'PAID, 10 of 20 captured' });
	});

	test('statuses in any letter case: "paid" is PAID', async () => {
		await expect(verify(fakeClient(lookupAnswer('paid', 10, 10)), 1000)).resolves.toMatchObject({ finding: 'captured' });
	});

	test('PRE_AUTHORIZED for the whole window: still pre-authorized, never "not captured"', async () => {
		const client = fakeClient(lookupAnswer('PRE_AUTHORIZED', 10, null));

		await expect(verify(client, 1000, 600)).resolves.toMatchObject({ finding: 'still_pre_authorized' });
		expect(client.requests.length).toBeGreaterThanOrEqual(2);
	});

	test('PRE_AUTHORIZED, then captured as the window runs: captured', async () => {
		const client = fakeClient(lookupAnswer('PRE_AUTHORIZED', 10, null), lookupAnswer('PROCESSING', 10, 10));

		await expect(verify(client, 1000, 2000)).resolves.toMatchObject({ finding: 'captured', checks: 2 });
	});

	test('DECLINED: unclear, a look-up cannot say this request captured nothing', async () => {
		await expect(verify(fakeClient(lookupAnswer('DECLINED', 10, null)), 1000)).resolves.toMatchObject({ finding: 'unclear', lastStatus: 'DECLINED' });
	});

	test('a failed look-up: unclear, with the problem named in a look-up\'s words', async () => {
		const timedOut = { ok: false as const, attempts: 1, report: { message: 'no answer', description: '', outcome: 'unknown' as const, retryAdvice: 'check_status_first' as const, letpay: { codes: [], errors: [] } } };
		await expect(verify(fakeClient(timedOut), 1000)).resolves.toEqual({
			finding: 'unclear',
			lastStatus: null,
			lastProblem: 'Letpay could not look up this payment: Letpay did not answer in time, or the connection broke',
			checks: 1,
		});
	});
});
