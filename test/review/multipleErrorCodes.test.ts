import { captureRequests, ledger, useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

const envelope = (status: number, errors: unknown) => ({
	timestamp: '2024-01-16T19:57:10.751+0000',
	status,
	error: 'Error',
	message: 'see errors',
	path: `/token/${TOKEN}/capture`,
	errors,
	refresh_token: 'not-a-real-token',
});

/*
 * Letpay's envelope "may hold several entries" (API-NOTES). Every code counts and the most
 * cautious one wins: a code saying an external API was contacted (00.03, the acquirer may have
 * captured) makes the answer "unknown" and never resent, wherever it stands in the list.
 */
describe('an error answer with several codes', () => {
	// Letpay captured before the answer went wrong, and accepts repeated partial captures:
	// a wrong resend really takes the money twice.
	const testbed = useTestbed({ repeatCaptures: 'allow' });
	beforeEach(() => testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' }));

	async function captureMeeting(status: number, errors: unknown) {
		testbed.emulator.injectFault(TOKEN, { kind: 'answer', status, body: envelope(status, errors), captured: true });
		const { failed, success } = await testbed.run({
			orders: [{ paymentToken: TOKEN, amount: 10 }],
			parameters: { options: { maxRetries: 2 } },
			onError: 'continueErrorOutput',
		});
		return { failed, success, error: failed[0]?.json.error as Record<string, unknown> | undefined };
	}

	test('a 429 whose second code is 00.03.0001 (acquirer contacted) is never resent', async () => {
		const { success } = await captureMeeting(429, [
			{ code: '00.01.0044', description: 'amount: Value must have a maximum of two decimal places.' },
			{ code: '00.03.0001', description: 'There was an issue when contacting an external API, please contact support' },
		]);

		expect(captureRequests(testbed.emulator)).toHaveLength(1);
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
		expect(success).toHaveLength(0);
	});

	test('a 429 whose `errors` is one object (not a list) holding 00.03.0001 is never resent', async () => {
		await captureMeeting(429, { code: '00.03.0001', description: 'There was an issue when contacting an external API' });

		expect(captureRequests(testbed.emulator)).toHaveLength(1);
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});

	test('a 422 whose second code is 00.03.0001 is not reported as "not captured"', async () => {
		const { error } = await captureMeeting(422, [
			{ code: '00.04.0012', description: 'Status can not change' },
			{ code: '00.03.0001', description: 'There was an issue when contacting an external API, please contact support' },
		]);

		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
		expect(error).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first' });
	});

	// One upstream code alone makes a 4xx "unknown", and a 429 carrying it is not resent.
	test('a 429 with 00.03.0001 as its only code is not resent and is "unknown"', async () => {
		const { error } = await captureMeeting(429, [{ code: '00.03.0001', description: 'external API' }]);

		expect(captureRequests(testbed.emulator)).toHaveLength(1);
		expect(error).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first', attempts: 1 });
	});
});
