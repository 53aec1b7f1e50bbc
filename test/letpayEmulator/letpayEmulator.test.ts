import type { LetpayEmulator } from './index';

/*
 * The emulator's contract is Letpay's documentation: these tests hold it to the capture page's
 * examples (status, body keys in order, messages, codes) and to API-NOTES' assumptions.
 */
import { auth, capture, multipart, token, TOKEN, withEmulator } from './emulatorClient';

const ENVELOPE_KEYS = ['timestamp', 'status', 'error', 'message', 'path', 'errors', 'refresh_token'];

describe('Letpay sandbox emulator', () => {
	test('POST /auth takes the documented multipart form only, and answers like Letpay', async () => {
		await withEmulator({}, async (emulator) => {
			const viaMultipart = await auth(emulator, multipart({ apiKey: 'sandbox-key', apiSecret: 'sandbox-secret' }));
			const viaUrlencoded = await auth(emulator, new URLSearchParams({ apiKey: 'sandbox-key', apiSecret: 'sandbox-secret' }));
			const rejected = await auth(emulator, multipart({ apiKey: 'sandbox-key', apiSecret: 'nope' }));

			expect(viaMultipart.status).toBe(200);
			expect(Object.keys(viaMultipart.body)).toEqual(['token', 'user', 'version']);
			// A client that signs in any other way must fail against the emulator as it may against Letpay.
			expect(viaUrlencoded).toMatchObject({ status: 415, body: { error: 'Unsupported Media Type', path: '/auth' } });
			expect(rejected).toEqual({
				status: 401,
				body: { timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/), status: 401, error: 'Unauthorized', message: 'Access Denied', path: '/auth' },
			});
			expect(emulator.authCalls).toBe(3);
		});
	});

	test('capture 200: exactly the documented shape, and one ledger entry in cents', async () => {
		await withEmulator({}, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '123.45' });
			const accessToken = await token(emulator);

			const response = await capture(emulator, accessToken, '{\n"amount": 123.45\n}');

			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('application/json');
			expect(response.text).toBe(`{"transaction_status":"PROCESSING","payment_token":"${TOKEN}","refresh_token":"${accessToken}"}`);
			expect(emulator.capturesOf(TOKEN)).toEqual([{ paymentToken: TOKEN, amountCents: 12345, at: expect.any(String) }]);
		});
	});

	test.each([
		['123.456 (capture page 400 example)', '{"amount": 123.456}', 400, '00.01.0044', 'amount: Value must have a maximum of two decimal places.'],
		['malformed JSON', '{"amount": ', 400, '00.01.0044', 'Malformed JSON request.'],
		['no amount', '{}', 400, '00.01.0039', 'amount: field must not be null'],
		['zero', '{"amount": 0}', 400, '00.01.0058', 'The payment amount must be greater than 0'],
		['above the pre-authorized amount', '{"amount": 100.01}', 422, '00.04.0011', 'The request amount is higher than the pre-authorized amount available'],
	])('capture %s (body %s): HTTP %i, code %s', async (_what, rawBody, status, code, message) => {
		await withEmulator({}, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: 100 });
			const accessToken = await token(emulator);

			const response = await capture(emulator, accessToken, rawBody);

			expect(response.status).toBe(status);
			expect(Object.keys(response.body ?? {})).toEqual(ENVELOPE_KEYS);
			expect(response.body).toMatchObject({ status, message, path: `/token/${TOKEN}/capture`, errors: [{ code, description: message }], refresh_token: accessToken });
			expect(emulator.allCaptures()).toEqual([]);
		});
	});

	test('422 (capture page example) for a token that was never pre-authorized; 01.05.0003 for a second capture', async () => {
		await withEmulator({}, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			const accessToken = await token(emulator);

			const unknown = await capture(emulator, accessToken, '{"amount": 1}', 'never-pre-authorized');
			await capture(emulator, accessToken, '{"amount": 10}');
			const second = await capture(emulator, accessToken, '{"amount": 10}');

			expect(unknown.body).toMatchObject({ status: 422, error: 'Unprocessable Entity', errors: [{ code: '00.04.0010', description: "The payment token was not pre-authorized, so it can't be captured." }] });
			expect(second.body).toMatchObject({ status: 422, errors: [{ code: '01.05.0003' }] });
			expect(emulator.capturesOf(TOKEN)).toHaveLength(1);
		});
	});

	test('repeatCaptures "allow": partial captures add up to the pre-authorized amount, not beyond', async () => {
		await withEmulator({ repeatCaptures: 'allow' }, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			const accessToken = await token(emulator);

			const statuses = [];
			for (const amount of ['6.00', '4.00', '0.01']) {
				statuses.push((await capture(emulator, accessToken, `{"amount": ${amount}}`)).status);
			}

			expect(statuses).toEqual([200, 200, 422]);
			expect(emulator.capturesOf(TOKEN).map((c) => c.amountCents)).toEqual([600, 400]);
		});
	});

	test('401 (capture page example) for an unknown or expired access token: no errors, no refresh_token', async () => {
		await withEmulator({}, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			const accessToken = await token(emulator);
			emulator.expireAccessTokens();

			for (const sent of ['INVALID_ACCESS_TOKEN', accessToken]) {
				const response = await capture(emulator, sent, '{"amount": 10}');
				expect(response.status).toBe(401);
				expect(Object.keys(response.body ?? {})).toEqual(['timestamp', 'status', 'error', 'message', 'path']);
				expect(response.body).toMatchObject({ error: 'Unauthorized', message: 'Access Denied' });
			}
			expect(emulator.allCaptures()).toEqual([]);
		});
	});

	test.each([
		['same', true],
		['rotate', false],
	] as const)('refresh_token mode %s: same token renewed, or a new one', async (refreshTokenMode, same) => {
		let now = 0;
		await withEmulator({ refreshTokenMode, tokenTtlSeconds: 300, now: () => now }, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			const accessToken = await token(emulator);
			now = 200_000;
			const { body } = await capture(emulator, accessToken, '{"amount": 1}', 'unknown-token');
			now = 400_000; // past the first token's 300 s, within the refreshed expiry

			expect(body?.refresh_token === accessToken).toBe(same);
			expect((await capture(emulator, body?.refresh_token as string, '{"amount": 10}')).status).toBe(200);
		});
	});

	test('accessTokens "newest-only": a new sign-in revokes the earlier token of the merchant', async () => {
		await withEmulator({ accessTokens: 'newest-only' }, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			const first = await token(emulator);
			const second = await token(emulator);

			expect((await capture(emulator, first, '{"amount": 10}')).status).toBe(401);
			expect((await capture(emulator, second, '{"amount": 10}')).status).toBe(200);
		});
	});

	test('a capture let in before its token expired and answered after it: the token is not renewed, stays expired', async () => {
		await withEmulator({ captureLatencyMs: 100 }, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			emulator.preAuthorize({ paymentToken: 'second-payment', amount: '10.00' });
			const accessToken = await token(emulator);

			const inFlight = capture(emulator, accessToken, '{"amount": 10}');
			await new Promise((resolve) => setTimeout(resolve, 30));
			emulator.expireAccessTokens();

			expect((await inFlight).status).toBe(200);
			expect((await capture(emulator, accessToken, '{"amount": 10}', 'second-payment')).status).toBe(401);
		});
	});

	test.each([
		// Another token, never pre-authorized: 422 00.04.0010.
		['exact', [200, 422], [500]],
		// The same payment: the variant takes money a second time.
		['case-insensitive', [200, 200], [500, 500]],
	] as const)('paymentTokenMatching %s: an upper-case variant of a token answers %p', async (paymentTokenMatching, statuses, ledger) => {
		await withEmulator({ paymentTokenMatching, repeatCaptures: 'allow' }, async (emulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			const accessToken = await token(emulator);

			const lower = await capture(emulator, accessToken, '{"amount": 5}', TOKEN);
			const upper = await capture(emulator, accessToken, '{"amount": 5}', TOKEN.toUpperCase());

			expect([lower.status, upper.status]).toEqual(statuses);
			expect(emulator.capturesOf(TOKEN).map((c) => c.amountCents)).toEqual(ledger);
		});
	});

	describe('faults', () => {
		const setUp = async (emulator: LetpayEmulator) => {
			emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
			return await token(emulator);
		};

		test.each([
			[{ kind: 'bad-gateway' } as const, 502, 0],
			[{ kind: 'bad-gateway', captured: true } as const, 502, 1],
			[{ kind: 'html', status: 503 } as const, 503, 0],
			[{ kind: 'empty', status: 500, captured: true } as const, 500, 1],
			[{ kind: 'rate-limit', retryAfterSeconds: 2 } as const, 429, 0],
			[{ kind: 'letpay-error', status: 500, code: '00.05.0001', message: 'Oops' } as const, 500, 0],
			[{ kind: 'answer', status: 200, body: { transaction_status: 'DECLINED' } } as const, 200, 0],
			[{ kind: 'redirect', status: 307, location: 'http://127.0.0.1:9/elsewhere', captured: true } as const, 307, 1],
		])('%p answers %i and leaves %i capture(s)', async (fault, status, captured) => {
			await withEmulator({}, async (emulator) => {
				const accessToken = await setUp(emulator);
				emulator.injectFault(TOKEN, fault);

				const response = await fetch(`${emulator.url}/token/${TOKEN}/capture`, {
					method: 'POST',
					headers: { 'X-Auth-Token': accessToken },
					body: '{"amount": 10}',
					redirect: 'manual',
				});

				expect(response.status).toBe(status);
				if (fault.kind === 'rate-limit') expect(response.headers.get('retry-after')).toBe('2');
				if (fault.kind === 'bad-gateway') expect(await response.json()).toMatchObject({ errors: [{ code: '00.03.0001' }] });
				expect(emulator.allCaptures()).toHaveLength(captured);
			});
		});

		test.each([
			['reset-before-read', 0],
			['reset-after-capture', 1],
		] as const)('%s: the client sees a broken connection; the ledger has %i capture(s)', async (kind, captured) => {
			await withEmulator({}, async (emulator) => {
				const accessToken = await setUp(emulator);
				emulator.injectFault(TOKEN, { kind });

				await expect(capture(emulator, accessToken, '{"amount": 10}')).rejects.toThrow('fetch failed');
				expect(emulator.allCaptures()).toHaveLength(captured);
				expect(emulator.requests.at(-1)?.status).toBe('reset');
			});
		});

		test.each([
			[false, 'the whole answer, late'],
			[true, 'never the end of it'],
		])('trickle (endless %s): headers at once, the body a byte at a time: %s', async (endless) => {
			await withEmulator({}, async (emulator) => {
				const accessToken = await setUp(emulator);
				emulator.injectFault(TOKEN, { kind: 'trickle', intervalMs: 5, endless });
				const started = Date.now();
				const response = await fetch(`${emulator.url}/token/${TOKEN}/capture`, {
					method: 'POST',
					headers: { 'X-Auth-Token': accessToken },
					body: '{"amount": 10}',
					signal: AbortSignal.timeout(2000),
				});
				const headersAfter = Date.now() - started;
				const text = response.text();

				expect(response.status).toBe(200);
				expect(headersAfter).toBeLessThan(500);
				if (endless) await expect(text).rejects.toThrow();
				else {
					const body = await text;
					expect(JSON.parse(body)).toMatchObject({ transaction_status: 'PROCESSING' });
					// Late: one byte every 5 ms (a little slack for timer rounding).
					expect(Date.now() - started).toBeGreaterThanOrEqual(body.length * 4);
				}
				expect(emulator.allCaptures()).toHaveLength(1);
			});
		});

		test('hang: no answer until the client gives up; close() still returns', async () => {
			await withEmulator({}, async (emulator) => {
				const accessToken = await setUp(emulator);
				emulator.injectFault(TOKEN, { kind: 'hang' });
				const response = fetch(`${emulator.url}/token/${TOKEN}/capture`, {
					method: 'POST',
					headers: { 'X-Auth-Token': accessToken },
					body: '{"amount": 10}',
					signal: AbortSignal.timeout(200),
				});
				await expect(response).rejects.toThrow();
			});
		});
	});

	test('control API: pre-authorize, inject a fault, read the ledger (for n8n in another process)', async () => {
		await withEmulator({}, async (emulator) => {
			const control = (path: string, body?: unknown) =>
				fetch(`${emulator.url}/__emulator/${path}`, { method: body === undefined ? 'GET' : 'POST', body: JSON.stringify(body) });
			await control('preauthorize', { paymentToken: TOKEN, amount: '10.00' });
			await control('faults', { paymentToken: TOKEN, fault: { kind: 'bad-gateway' }, times: 1 });
			const accessToken = await token(emulator);

			expect((await capture(emulator, accessToken, '{"amount": 10}')).status).toBe(502);
			expect((await capture(emulator, accessToken, '{"amount": 10}')).status).toBe(200);
			const ledger = (await (await control('ledger')).json()) as { captures: unknown[]; authCalls: number };
			expect(ledger).toMatchObject({ captures: [{ paymentToken: TOKEN, amountCents: 1000 }], authCalls: 1 });
		});
	});
});
