import { startLetpayEmulator, type LetpayEmulator } from '../letpayEmulator';
import { captureRequests, ledger, useTestbed } from '../helpers/testbed';

const FIRST = 'aaaaaaaa-0000-4000-8000-000000000001';
const SECOND = 'aaaaaaaa-0000-4000-8000-000000000002';

/*
 * n8n keeps the access token in the stored credential. When a builder edits the credential
 * (another key pair, another base URL), the token stored beside the old values belongs to the old
 * account: it must never be sent again, neither to Letpay for the new account nor to the new host.
 */
describe('an edited credential never sends the access token of what it was before', () => {
	const testbed = useTestbed();

	/** Captures FIRST with the credential as created; returns the token n8n stored for it. */
	async function captureBeforeTheEdit(): Promise<string> {
		testbed.emulator.preAuthorize({ paymentToken: FIRST, amount: '10.00' });
		const { error } = await testbed.run({ orders: [{ paymentToken: FIRST, amount: 10 }] });
		expect(error).toBeUndefined();
		const stored = String(testbed.credentials.storedData('letpayApi').accessToken);
		expect(stored).toBe(testbed.emulator.issuedAccessTokens[0]);
		return stored;
	}

	function editCredential(changes: Record<string, string>) {
		testbed.credentials.store('letpayApi', { ...testbed.credentials.storedData('letpayApi'), ...changes });
	}

	test('API key and secret changed to another valid pair: the old token is not sent, the new pair signs in', async () => {
		const firstToken = await captureBeforeTheEdit();
		// The same merchant, so the old token would still be accepted: only the node can tell.
		const secondPair = { apiKey: `${testbed.account.apiKey}-second`, apiSecret: `${testbed.account.apiSecret}-second` };
		testbed.emulator.addApiKey(secondPair);
		testbed.emulator.preAuthorize({ paymentToken: SECOND, amount: '10.00' });
		editCredential(secondPair);
		const editedAt = testbed.emulator.requests.length;

		const { error } = await testbed.run({ orders: [{ paymentToken: SECOND, amount: 10 }] });

		expect(error).toBeUndefined();
		const afterEdit = testbed.emulator.requests.slice(editedAt);
		expect(afterEdit.map((request) => request.authToken)).not.toContain(firstToken);
		const signIns = afterEdit.filter((request) => request.path === '/auth');
		expect(signIns).toHaveLength(1);
		expect(signIns[0].body).toContain(secondPair.apiSecret);
		const secondToken = testbed.emulator.issuedAccessTokens[1];
		expect(captureRequests(testbed.emulator).filter((request) => request.status === 200).at(-1)?.authToken).toBe(secondToken);
		expect(testbed.credentials.storedData('letpayApi').accessToken).toBe(secondToken);
		expect(ledger(testbed.emulator)).toEqual({ [FIRST]: [1000], [SECOND]: [1000] });
	});

	describe('base URL changed to another Letpay', () => {
		let other: LetpayEmulator;
		beforeEach(async () => {
			other = await startLetpayEmulator({ apiKeys: [] });
			other.addApiKey(testbed.account);
		});
		afterEach(async () => await other.close());

		test('the other host never receives a token issued by the first one', async () => {
			const firstToken = await captureBeforeTheEdit();
			other.preAuthorize({ paymentToken: SECOND, amount: '10.00' });
			editCredential({ baseUrl: other.url });
			const editedAt = testbed.emulator.requests.length;

			const { error } = await testbed.run({ orders: [{ paymentToken: SECOND, amount: 10 }] });

			expect(error).toBeUndefined();
			const tokensReceived = other.requests.flatMap((request) => (request.authToken ? [request.authToken] : []));
			expect(tokensReceived).not.toContain(firstToken);
			// Whatever it received, it had issued itself.
			expect(tokensReceived.every((token) => other.issuedAccessTokens.includes(token))).toBe(true);
			expect(other.authCalls).toBe(1);
			expect(other.capturesOf(SECOND)).toHaveLength(1);
			expect(testbed.emulator.requests.slice(editedAt)).toEqual([]);
		});
	});
});
