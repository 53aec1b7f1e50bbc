import { accountKey, issuedFor } from '../../nodes/Letpay/transport/accessTokens';
import { TOKEN_REFUSED_MESSAGES } from '../../nodes/Letpay/transport/letpayClient';
import { captureRequests, ledger, storeAccessToken, useTestbed, type Testbed } from '../helpers/testbed';
import { auth, multipart } from '../letpayEmulator/emulatorClient';

/*
 * In n8n's queue mode several processes (workers) run the node; each keeps its own current
 * access token, and n8n's credential store (one database) holds the last token any of them got.
 * If Letpay keeps only the newest token valid, a worker whose token was revoked by another
 * worker's sign-in must take that worker's token from the store, not sign in again: two workers
 * signing in by turns would revoke each other's tokens for as long as captures run.
 */
const TOKEN = '0d7d6d84-4f2a-4a55-9d4b-0c4d2f3a9e11';

/** Another n8n process signs in for the same credential and saves the token, as n8n does after preAuthentication. */
async function anotherWorkerSignsIn(testbed: Testbed, savedAfterMs = 0): Promise<string> {
	const answer = await auth(testbed.emulator, multipart({ ...testbed.account }));
	const token = String(answer.body.token);
	if (savedAfterMs > 0) setTimeout(() => storeAccessToken(testbed, token), savedAfterMs);
	else storeAccessToken(testbed, token);
	return token;
}


describe('access tokens shared through n8n\'s credential store (queue mode)', () => {
	const testbed = useTestbed({ accessTokens: 'newest-only' });
	beforeEach(() => {
		testbed.emulator.preAuthorize({ paymentToken: 'warm-up-pay', amount: '1.00' });
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
	});

	test('a token revoked by another worker\'s sign-in: the node resends with the stored token, no sign-in of its own', async () => {
		await testbed.run({ orders: [{ paymentToken: 'warm-up-pay', amount: 1 }] });
		const ownToken = testbed.emulator.issuedAccessTokens[0];
		const othersToken = await anotherWorkerSignsIn(testbed);

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }] });

		expect(success[0].json).toMatchObject({ success: true, paymentToken: TOKEN });
		const sent = captureRequests(testbed.emulator).filter((request) => request.path.includes(TOKEN));
		expect(sent.map((request) => [request.status, request.authToken])).toEqual([
			[401, ownToken],
			[200, othersToken],
		]);
		// The node's first sign-in and the other worker's: none more.
		expect(testbed.emulator.authCalls).toBe(2);
		expect(ledger(testbed.emulator)[TOKEN]).toEqual([1000]);
	});

	test('the other worker\'s token reaches the store a moment after the 401: the node waits for it rather than signing in', async () => {
		await testbed.run({ orders: [{ paymentToken: 'warm-up-pay', amount: 1 }] });
		const othersToken = await anotherWorkerSignsIn(testbed, 100);

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }] });

		expect(success[0].json).toMatchObject({ success: true });
		const sent = captureRequests(testbed.emulator).filter((request) => request.path.includes(TOKEN));
		expect(sent.map((request) => request.status)).toEqual([401, 200]);
		expect(sent[1].authToken).toBe(othersToken);
		expect(testbed.emulator.authCalls).toBe(2);
	});

	test('a store that offers another token at every look, each refused: followed for the 50 token resends, no sign-in, then the item fails, not captured', async () => {
		await testbed.run({ orders: [{ paymentToken: 'warm-up-pay', amount: 1 }] });
		testbed.emulator.injectFault(TOKEN, { kind: 'unauthorized' }, 60);
		const stored = testbed.credentials.storedData('letpayApi');
		const account = accountKey(String(stored.baseUrl), testbed.account.apiKey, testbed.account.apiSecret);
		const read = testbed.credentials.getDecrypted.bind(testbed.credentials);
		let reads = 0;
		testbed.credentials.getDecrypted = async (...args: Parameters<typeof read>) => {
			const data = await read(...args);
			// The run's first read is the credential as saved; every later look finds a new token.
			if (reads++ === 0) return data;
			const token = `other-worker-token-${reads}`;
			return { ...data, accessToken: token, signedInFor: issuedFor(token, account) };
		};

		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

		// The credentials were never the problem: the message says so, and "later" is the advice.
		expect(failed[0].json.error).toMatchObject({ message: TOKEN_REFUSED_MESSAGES.resendsUsedUp, outcome: 'not_captured', retryAdvice: 'later', httpCode: '401', attempts: 51 });
		expect(captureRequests(testbed.emulator).filter((request) => request.path.includes(TOKEN))).toHaveLength(51);
		// Only the warm-up's: a sign-in would revoke the token of every other worker.
		expect(testbed.emulator.authCalls).toBe(1);
		expect(ledger(testbed.emulator)[TOKEN]).toBeUndefined();
	});

	test('a stored token issued for another account is never sent: the node signs in itself', async () => {
		await testbed.run({ orders: [{ paymentToken: 'warm-up-pay', amount: 1 }] });
		await anotherWorkerSignsIn(testbed);
		const stored = testbed.credentials.storedData('letpayApi');
		testbed.credentials.store('letpayApi', { ...stored, signedInFor: 'issued-for-another-account' });

		const { success } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }] });

		expect(success[0].json).toMatchObject({ success: true });
		expect(testbed.emulator.authCalls).toBe(3);
	});
});
