import { freePort } from '../../../scripts/lib/processes';
import { captureRequests, ledger, useTestbed } from '../../helpers/testbed';

const TOKEN = '8f048623-16c6-47da-aca1-546a16e8fb99';

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

describe('capture safety: connection refused', () => {
	const testbed = useTestbed();

	test('resent Max Retries times with backoff, then the item fails: the request never reached Letpay', async () => {
		const closedPort = await freePort();
		testbed.credentials.store('letpayApi', {
			...testbed.credentials.storedData('letpayApi'),
			baseUrl: `http://127.0.0.1:${closedPort}`,
			accessToken: 'a-token-from-an-earlier-run',
		});

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
