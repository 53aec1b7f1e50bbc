import { useTestbed } from '../helpers/testbed';

const FIRST = '633de157-9a42-4d30-bbad-bd9fb883e058';
const TOKEN = '8f048623-16c6-47da-aca1-546a16e8fb99';

/*
 * Letpay's own texts (`message`, `errors[].description`) reach the error item and the
 * NodeApiError scrubbed of every access token the node sent or received. An answer (Letpay, or a
 * gateway in front of it) that quotes the token it refused never puts a live access token into
 * the execution data.
 */
describe('an error answer that quotes the access token', () => {
	const testbed = useTestbed();

	test('the quoted access token is not copied into the error item', async () => {
		testbed.emulator.preAuthorize({ paymentToken: FIRST, amount: '20.00' });
		testbed.emulator.preAuthorize({ paymentToken: TOKEN, amount: '20.00' });
		// First execution: the node signs in; the token is kept for the next execution.
		await testbed.run({ orders: [{ paymentToken: FIRST, amount: 10 }] });
		const [accessToken] = testbed.emulator.issuedAccessTokens;

		testbed.emulator.injectFault(TOKEN, {
			kind: 'answer',
			status: 422,
			body: {
				status: 422,
				message: `Token ${accessToken} is not allowed to capture this payment`,
				errors: [{ code: '00.04.0002', description: `X-Auth-Token ${accessToken} belongs to another merchant` }],
			},
		});

		const { failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput' });
		expect(JSON.stringify(failed)).not.toContain(accessToken);
	});
});
