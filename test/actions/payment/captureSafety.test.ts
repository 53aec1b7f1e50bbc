import { freePort } from '../../../scripts/lib/processes';
import { documentedExamples } from '../../helpers/letpayEnvelopes';
import { captureOnce, PAYMENT_TOKEN as TOKEN } from '../../helpers/captures';
import { captureRequests, ledger, storeAccessToken, useTestbed } from '../../helpers/testbed';

describe('capture safety: resend only what certainly did not reach Letpay', () => {
	const testbed = useTestbed();
	beforeEach(() => testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' }));

	test('429 with Retry-After: waits as told, resends, captures once', async () => {
		testbed.emulator.injectFault(TOKEN, { kind: 'rate-limit', retryAfterSeconds: 0 }, 2);

		const { success, error } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }] });

		expect(error).toBeUndefined();
		expect(success[0].json).toMatchObject({ success: true, transactionStatus: 'PROCESSING' });
		expect(captureRequests(testbed.emulator).map((r) => r.status)).toEqual([429, 429, 200]);
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});

	test('429 beyond Max Retries: the item fails, nothing captured, the attempts counted', async () => {
		testbed.emulator.injectFault(TOKEN, { kind: 'rate-limit', retryAfterSeconds: 0 }, 5);

		const { failed } = await testbed.run({
			orders: [{ paymentToken: TOKEN, amount: 10 }],
			parameters: { options: { maxRetries: 1 } },
			onError: 'continueErrorOutput',
		});

		expect(failed[0].json.error).toMatchObject({ httpCode: '429', outcome: 'not_captured', attempts: 2, retryAfterSeconds: 0 });
		expect(captureRequests(testbed.emulator)).toHaveLength(2);
		expect(ledger(testbed.emulator)).toEqual({});
	});

	test.each([
		['502 from the acquirer', { kind: 'bad-gateway', captured: true } as const],
		['a reset after Letpay read the request', { kind: 'reset-after-capture' } as const],
		['an HTML page from a proxy', { kind: 'html', status: 503, captured: true } as const],
		['no answer within the timeout', { kind: 'hang', captured: true } as const],
	])('%s: never resent, reported as an unknown outcome', async (_what, fault) => {
		testbed.emulator.injectFault(TOKEN, fault, 3);

		const { failed } = await testbed.run({
			orders: [{ paymentToken: TOKEN, amount: 10 }],
			parameters: { options: { timeout: 300 } },
			onError: 'continueErrorOutput',
		});

		expect(failed[0].json.error).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first', attempts: 1 });
		expect(captureRequests(testbed.emulator)).toHaveLength(1);
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});
});

describe('capture safety: a 429 or 401 is resent only when its body says the capture did not run', () => {
	const testbed = useTestbed();

	// 00.02 / 00.03: an external API (the acquirer) failed; 01.05.0017: already being processed.
	test.each([
		[429, '00.02.0001'],
		[429, '00.03.0001'],
		[429, '01.05.0017'],
		[401, '00.02.0001'],
		[401, '00.03.0001'],
		[401, '01.05.0017'],
	])('HTTP %i with Letpay code %s: not resent, no new sign-in, outcome unknown', async (status, code) => {
		const { error } = await captureOnce(testbed, { kind: 'letpay-error', status, code, message: 'Letpay said so', captured: true });

		expect(error).toMatchObject({
			httpCode: String(status),
			letpayCodes: [code],
			outcome: 'unknown',
			retryAdvice: 'check_status_first',
			attempts: 1,
		});
		expect(captureRequests(testbed.emulator)).toHaveLength(1);
		expect(testbed.emulator.authCalls).toBe(1);
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});

	test('a plain 429 (no code) is resent', async () => {
		const { captured } = await captureOnce(testbed, { kind: 'rate-limit', retryAfterSeconds: 0 });

		expect(captured).toMatchObject({ success: true, transactionStatus: 'PROCESSING' });
		expect(captureRequests(testbed.emulator).map((r) => r.status)).toEqual([429, 200]);
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});

	// Letpay's documented 401 ("Access Denied", no errors): the token was refused, nothing ran.
	const plain401 = { kind: 'answer', status: 401, body: documentedExamples.unauthorized } as const;

	test('a plain 401: one new sign-in, resent once with the new token, captured once', async () => {
		const { captured } = await captureOnce(testbed, plain401);

		expect(captured).toMatchObject({ success: true, transactionStatus: 'PROCESSING' });
		const [first, second] = testbed.emulator.issuedAccessTokens;
		expect(testbed.emulator.requests.map((r) => [r.path, r.status, r.authToken])).toEqual([
			['/auth', 200, undefined],
			[`/token/${TOKEN}/capture`, 401, first],
			['/auth', 200, undefined],
			[`/token/${TOKEN}/capture`, 200, second],
		]);
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000] });
	});

	test('a plain 401 after each of two fresh sign-ins: not resent a third time, not captured', async () => {
		// A second sign-in covers another n8n process (queue mode) revoking the first fresh token
		// when n8n's credential store offers nothing newer; a fresh token refused again means the
		// credentials are not good for this call.
		testbed.emulator.injectFault(TOKEN, plain401, 5);

		const { error } = await captureOnce(testbed);

		expect(error).toMatchObject({ httpCode: '401', outcome: 'not_captured', attempts: 2 });
		expect(captureRequests(testbed.emulator).map((r) => r.status)).toEqual([401, 401]);
		expect(testbed.emulator.authCalls).toBe(2);
	});
});

describe('capture safety: connection refused', () => {
	const testbed = useTestbed();

	test('resent Max Retries times with backoff, then the item fails: the request never reached Letpay', async () => {
		const closedPort = await freePort();
		storeAccessToken(testbed, 'a-token-from-an-earlier-run', { baseUrl: `http://127.0.0.1:${closedPort}` });

		const started = Date.now();
		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

		expect(failed[0].json.error).toMatchObject({
			message: `Could not connect to Letpay (Custom environment, http://127.0.0.1:${closedPort})`,
			outcome: 'not_captured',
			retryAdvice: 'later',
			attempts: 3,
		});
		// Default policy: 2 resends, the first after 250-500 ms, the second after 500-1000 ms.
		expect(Date.now() - started).toBeGreaterThanOrEqual(750);
	});
});
