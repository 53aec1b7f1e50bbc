import type { Fault } from '../../letpayEmulator';
import { capturedLogs } from '../../helpers/capturedLogs';
import { letpayErrorBody } from '../../helpers/letpayEnvelopes';
import { captureRequests, ledger, useTestbed } from '../../helpers/testbed';
import { OTHER_PAYMENT_TOKEN as OTHER, PAYMENT_TOKEN as TOKEN } from '../../helpers/captures';

const CHECK_STATUS =
	"The capture may or may not have happened: check the payment's status in Letpay before trying again.";
/** Letpay's error envelope for a capture of TOKEN, with `errors` as given (a list, or one object). */
const envelope = (status: number, errors: unknown) => letpayErrorBody(status, undefined, 'see errors', { errors, refresh_token: 'not-a-real-token' });

describe('Letpay failures stop the workflow with a NodeApiError a builder understands', () => {
	const testbed = useTestbed();

	type Setup = (emulator: typeof testbed.emulator) => void;
	const preAuthorized: Setup = (emulator) => emulator.preAuthorize({ paymentToken: TOKEN, amount: '50.00' });
	const withFault =
		(fault: Fault): Setup =>
		(emulator) => {
			preAuthorized(emulator);
			emulator.injectFault(TOKEN, fault);
		};

	test.each<[string, Setup, number, string, string, string[]]>([
		['Letpay refuses the amount (capture page 400 example)', withFault({ kind: 'letpay-error', status: 400, code: '00.01.0044', message: 'amount: Value must have a maximum of two decimal places.' }), 50, '400', 'Letpay rejected the capture request as invalid', ['00.01.0044']],
		['never pre-authorized', () => {}, 50, '422', 'This payment was not pre-authorized, so it cannot be captured', ['00.04.0010']],
		['above the pre-authorized amount', preAuthorized, 50.01, '422', 'The amount is higher than the pre-authorized amount still available', ['00.04.0011']],
		[
			'partial capture refused by the acquirer',
			(emulator) => emulator.preAuthorize({ paymentToken: TOKEN, amount: '50.00', refusePartialCapture: true }),
			20,
			'422',
			'The amount differs from the pre-authorized amount, and the acquirer refuses partial captures',
			['01.05.0006'],
		],
		['acquirer unreachable (502)', withFault({ kind: 'bad-gateway' }), 50, '502', "Letpay could not complete the capture with the card acquirer, so its outcome is unknown", ['00.03.0001']],
		['Letpay internal error', withFault({ kind: 'letpay-error', status: 500, code: '00.05.0001', message: 'There was an unexpected error in our application, please contact support' }), 50, '500', 'Letpay had an internal error, so the outcome of the capture is unknown', ['00.05.0001']],
		['an HTML error page', withFault({ kind: 'html', status: 503 }), 50, '503', 'Letpay answered with server error 503, so the outcome of the capture is unknown', []],
		['a code nobody documented', withFault({ kind: 'letpay-error', status: 422, code: '07.07.0007', message: 'Brand new rule' }), 50, '422', 'Letpay returned error 07.07.0007', ['07.07.0007']],
	])('%s', async (_what, setup, amount, httpCode, message, codes) => {
		setup(testbed.emulator);

		const { error } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount }] });

		expect(error).toMatchObject({ name: 'NodeApiError', message, httpCode });
		expect(error?.context).toMatchObject({ itemIndex: 0 });
		expect((error as unknown as { errorResponse: { letpay: { codes: string[] } } }).errorResponse.letpay.codes).toEqual(codes);
		expect(JSON.stringify(error)).not.toMatch(new RegExp(testbed.emulator.issuedAccessTokens.join('|') || '^$'));
		expect(ledger(testbed.emulator)).toEqual({});
	});

	test('a second capture of the same payment is refused; a look-up says when it was captured; the ledger still shows one', async () => {
		preAuthorized(testbed.emulator);
		await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 50 }] });

		const { error } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 50 }] });

		expect(error?.message).toBe('This payment was captured before (50 BRL, PROCESSING)');
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [5000] });
	});

	test('no answer within the timeout: the outcome is unknown, and the request is not resent', async () => {
		withFault({ kind: 'hang' })(testbed.emulator);

		const { error } = await testbed.run({
			orders: [{ paymentToken: TOKEN, amount: 50 }],
			parameters: { options: { timeout: 1000 } },
		});

		expect(error?.message).toBe('Letpay did not answer within 1 second, so the outcome of the capture is unknown');
		expect(error?.description).toContain(`Item 1: ${CHECK_STATUS} The workflow stopped`);
		expect(testbed.emulator.requests.filter((r) => r.path.endsWith('/capture'))).toHaveLength(1);
	});

	test('a reset after Letpay captured is reported as an unknown outcome, never as a clean failure', async () => {
		withFault({ kind: 'reset-after-capture' })(testbed.emulator);

		const { error } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 50 }] });

		expect(error?.message).toBe(
			'The connection to Letpay broke before an answer arrived, so the outcome of the capture is unknown',
		);
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [5000] });
	});
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

describe('credentials', () => {
	const testbed = useTestbed({}, { apiSecret: 'wrong-secret' });

	test('a wrong API secret is named plainly, with the environment used, and nothing is captured', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '50.00' });

		const { error } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 50 }] });

		expect(error?.message).toBe(
			`Letpay rejected the API key or API secret (Custom environment, ${testbed.emulator.url}). ` +
				'Check both values in the Letpay API credential, and that they were created for this environment.',
		);
		expect(JSON.stringify(error)).not.toContain('wrong-secret');
		expect(capturedLogs.join('\n')).not.toContain('wrong-secret');
		expect(ledger(testbed.emulator)).toEqual({});
		expect(testbed.emulator.requests.filter((r) => r.path.endsWith('/capture'))).toEqual([]);
	});
});

describe('access token expiry (Letpay: 5 minutes)', () => {
	let clockJumpAfterRequests = Infinity;
	const start = Date.parse('2026-11-24T10:00:00Z');
	// The emulator's clock jumps six minutes once it has served N requests: "mid-run" expiry.
	const testbed = useTestbed({
		now: () => start + (testbed.emulator.requests.length >= clockJumpAfterRequests ? 360_000 : 0),
	});

	test('an expired token mid-run: n8n re-authenticates, resends once, nothing is captured twice', async () => {
		clockJumpAfterRequests = 2; // /auth, first capture; the second capture meets an expired token
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		testbed.emulator.preAuthorize({ paymentToken: OTHER, amount: '20.00' });

		const { success, error } = await testbed.run({
			orders: [
				{ paymentToken: TOKEN, amount: 10 },
				{ paymentToken: OTHER, amount: 20 },
			],
		});

		expect(error).toBeUndefined();
		expect(success.map((item) => item.json.transactionStatus)).toEqual(['PROCESSING', 'PROCESSING']);
		expect(testbed.emulator.requests.map((r) => [r.path, r.status])).toEqual([
			['/auth', 200],
			[`/token/${TOKEN}/capture`, 200],
			[`/token/${OTHER}/capture`, 401],
			['/auth', 200],
			[`/token/${OTHER}/capture`, 200],
		]);
		expect(ledger(testbed.emulator)).toEqual({ [TOKEN]: [1000], [OTHER]: [2000] });
		// n8n stored the fresh token in the credential for the next run.
		expect(testbed.credentials.storedData('letpayApi').accessToken).toBe(testbed.emulator.issuedAccessTokens[1]);
	});
});
