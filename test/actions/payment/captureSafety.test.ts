import { freePort } from '../../../scripts/lib/processes';
import { captureRequests, ledger, useTestbed } from '../../helpers/testbed';

const TOKEN = '8f048623-16c6-47da-aca1-546a16e8fb99';
const OTHER = '633de157-9a42-4d30-bbad-bd9fb883e058';

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

		expect(failed[0].json.error).toMatchObject({ outcome: 'unknown', safeToRetry: false, attempts: 1 });
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
			safeToRetry: true,
			attempts: 3,
		});
		// Default policy: 2 resends, the first after 250-500 ms, the second after 500-1000 ms.
		expect(Date.now() - started).toBeGreaterThanOrEqual(750);
	});
});

describe('duplicate payment tokens in one run are captured at most once', () => {
	const testbed = useTestbed();
	const orders = [
		{ paymentToken: TOKEN, amount: 10 },
		{ paymentToken: OTHER, amount: 5 },
		{ paymentToken: ` ${TOKEN}`, amount: 10 }, // the same token once trimmed
	];
	beforeEach(() => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		testbed.emulator.preAuthorize({ paymentToken: OTHER, amount: '10.00' });
	});

	const duplicateMessage = `Payment Token "${TOKEN}" in item 3 was already given in item 1: a payment is captured at most once per run`;

	test('default: the later item fails before any request is sent', async () => {
		const { error } = await testbed.run({ orders });

		expect(error?.message).toBe(duplicateMessage);
		expect(testbed.emulator.requests).toEqual([]);
	});

	test('with continue on fail: the first is captured, the later one is an error item', async () => {
		const { success, failed } = await testbed.run({ orders, onError: 'continueErrorOutput' });

		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(failed.map((item) => [item.pairedItem, (item.json.error as { message: string }).message])).toEqual([
			[{ item: 2 }, duplicateMessage],
		]);
		expect(captureRequests(testbed.emulator)).toHaveLength(2);
	});

	test('"Skip the Later Items": the later one is passed on as skipped', async () => {
		const { success } = await testbed.run({ orders, parameters: { options: { duplicateTokens: 'skip' } } });

		expect(success.map((item) => item.json.skipped ?? false)).toEqual([false, false, true]);
		expect(success[2]).toEqual({ json: { skipped: true, reason: duplicateMessage, duplicateOfItem: 0 }, pairedItem: { item: 2 } });
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000], [OTHER]: [500] });
	});
});
