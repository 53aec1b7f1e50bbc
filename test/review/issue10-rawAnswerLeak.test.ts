import { useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

/*
 * Include Letpay Answer outputs Letpay's answer without its access token: the token is removed
 * wherever it appears (a nested `refresh_token`, a message that quotes it), not only at the top
 * level. testbed.run's leak check fails the run on any token left in the run data.
 */
describe('Get → Include Letpay Answer never outputs the access token', () => {
	const testbed = useTestbed();

	test('an answer that repeats its refresh_token elsewhere does not put the token into the output', async () => {
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '10.00' });
		await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 1 }] }); // signs in
		const [accessToken] = testbed.emulator.issuedAccessTokens;
		testbed.emulator.injectLookupFault(TOKEN, {
			kind: 'answer',
			status: 200,
			body: {
				general_info: { transaction_status: 'PROCESSING', transaction_id: 'tx-1' },
				payment_info: { payment_amount: 1, order_amount: 10, order_currency: 'BRL' },
				message: `Session ${accessToken} renewed`,
				session: { refresh_token: accessToken },
				refresh_token: accessToken,
			},
		});

		const { success } = await testbed.run({
			orders: [{ paymentToken: TOKEN }],
			parameters: { operation: 'get', preAuthorizedPayment: '={{ $json.paymentToken }}', options: { includeRaw: true } },
		});

		expect(JSON.stringify(success)).not.toContain(accessToken);
	});
});
