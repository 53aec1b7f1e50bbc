import type { Fault } from '../letpayEmulator';
import { captureRequests, useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

/*
 * Whatever /auth answers, a failed sign-in means nothing was sent for the item, and the item
 * says so ("not captured"); a request whose fresh token is refused is resent after one more
 * sign-in at most (another n8n process may have revoked it), then fails, not captured.
 */
describe('hostile answers to the sign-in', () => {
	const testbed = useTestbed();
	beforeEach(() => testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' }));

	test.each<[string, Fault]>([
		['500 with an HTML page', { kind: 'html', status: 500 }],
		['200 with an HTML page', { kind: 'html', status: 200 }],
		['200 with an empty body', { kind: 'empty', status: 200 }],
		['200 JSON without a token', { kind: 'answer', status: 200, body: { user: { id: 1 }, version: '0.5.21' } }],
		['200 JSON whose token is a number', { kind: 'answer', status: 200, body: { token: 12345 } }],
		['200 JSON array', { kind: 'answer', status: 200, body: [{ token: 'x' }] as unknown as Record<string, unknown> }],
		['a connection reset', { kind: 'reset-before-read' }],
	])('/auth answering %s: not captured, nothing sent', async (_what, fault) => {
		testbed.emulator.injectAuthFault(fault);

		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

		expect(captureRequests(testbed.emulator)).toEqual([]);
		expect(failed[0]?.json.error).toMatchObject({ outcome: 'not_captured', letpayCodes: [] });
		expect(String((failed[0]?.json.error as { message: string }).message)).toMatch(/^Could not obtain a Letpay access token/);
	});

	test('401s on the resends after two fresh sign-ins: not resent again, and "not captured"', async () => {
		// Sign in once, let that token expire, and make the resends after the new sign-ins meet a 401 too.
		await testbed.run({ orders: [{ paymentToken: '633de157-9a42-4d30-bbad-bd9fb883e058', amount: 10 }] });
		testbed.emulator.forgetPayments();
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' });
		testbed.emulator.expireAccessTokens();
		testbed.emulator.injectFault(TOKEN, { kind: 'answer', status: 401, body: { status: 401, message: 'Access Denied' } }, 2);

		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

		expect(captureRequests(testbed.emulator).map((request) => request.status)).toEqual([401, 401, 401]);
		expect(testbed.emulator.authCalls).toBe(3);
		expect(failed[0]?.json.error).toMatchObject({ outcome: 'not_captured', httpCode: '401', attempts: 3 });
	});
});
