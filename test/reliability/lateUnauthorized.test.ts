import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

import { captureRequests, ledger, useExpiringTestbed } from '../helpers/testbed';

/*
 * One sign-in per expiry has to hold also when Letpay's 401s are slow: a 401 for the old token
 * that arrives after the new sign-in must not drop the new token (where Letpay keeps only the
 * newest token valid, a second sign-in would revoke the first and fail the captures using it).
 * The emulator answers 401 at once, so a proxy in front of it holds every 401 back a while.
 */
// The first refused capture's 401 comes after FIRST_LATE_MS; meanwhile the other lanes send the old
// token too, and their 401s come LATE_MS after that: after the new sign-in, which follows the first
// 401 once the node has waited for the other answers carrying the old token (they might bring a
// newer one) as long as it waits for them, 2 s, and looked in n8n's credential store (250 ms).
const FIRST_LATE_MS = 300;
const LATE_MS = 3000;
const ITEMS = 25;
const CONCURRENCY = 5;

describe('a 401 for the old token that arrives after the new sign-in', () => {
	const testbed = useExpiringTestbed({ accessTokens: 'newest-only' });

	/** What the proxy handed back to the node, in order: `status path`. */
	const delivered: string[] = [];
	let firstRefused: string | undefined;
	const proxy = createServer((request, response) => {
		const upstream = httpRequest(
			{ host: '127.0.0.1', port: new URL(testbed.emulator.url).port, method: request.method, path: request.url, headers: request.headers },
			(answer) => {
				const deliver = () => {
					delivered.push(`${answer.statusCode} ${request.url}`);
					response.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(response);
				};
				if (answer.statusCode === 401) setTimeout(deliver, (firstRefused ??= request.url) === request.url ? FIRST_LATE_MS : LATE_MS);
				else deliver();
			},
		);
		upstream.on('error', () => response.destroy());
		request.pipe(upstream);
	});
	beforeAll(async () => await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve)));
	afterAll(async () => {
		proxy.closeAllConnections();
		await new Promise((resolve) => proxy.close(resolve));
	});

	test('is resent with the new token: one sign-in after the expiry, every capture made once', async () => {
		const tokens = Array.from({ length: ITEMS }, (_value, index) => `late-401-${index}`);
		tokens.forEach((paymentToken, index) => {
			testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
			// Answers that take 100 to 300 ms, so the lanes send their next capture at different
			// moments. Trickled, not delayed: Letpay decides (and renews the token it was sent) when
			// the request arrives, so no capture in flight renews the old token after the expiry.
			testbed.emulator.injectFault(paymentToken, { kind: 'trickle', intervalMs: 1 + (index % 3) });
		});
		const { port } = proxy.address() as AddressInfo;
		testbed.credentials.store('letpayApi', { ...testbed.credentials.storedData('letpayApi'), baseUrl: `http://127.0.0.1:${port}` });
		testbed.expireAfterRequests(9); // /auth and 8 captures

		const { success, failed } = await testbed.run({
			orders: tokens.map((paymentToken) => ({ paymentToken, amount: 10 })),
			onError: 'continueErrorOutput',
			parameters: { options: { concurrency: CONCURRENCY } },
		});

		expect(failed.map((item) => item.json.error)).toEqual([]);
		expect(success).toHaveLength(ITEMS);
		expect(Object.values(ledger(testbed.emulator))).toEqual(tokens.map(() => [1000]));
		// The case happened: a 401 reached the node after the new sign-in's answer.
		const signIns = delivered.flatMap((entry, index) => (entry === '200 /auth' ? [index] : []));
		const late401s = delivered.filter((entry, index) => entry.startsWith('401 ') && index > signIns[1]);
		expect(late401s.length).toBeGreaterThanOrEqual(1);
		// And it cost no second sign-in: one before the expiry, one after it.
		expect(testbed.emulator.authCalls).toBe(2);
		expect(signIns).toHaveLength(2);
		// Each capture that met the old token was resent once, with the new one.
		expect(captureRequests(testbed.emulator)).toHaveLength(ITEMS + delivered.filter((entry) => entry.startsWith('401 ')).length);
	});
});
