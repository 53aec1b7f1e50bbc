import { useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

const OTHER = '633de157-9a42-4d30-bbad-bd9fb883e058';
const THIRD = '0b6a2f4e-2d7e-4c55-9d0e-3f1c2a9b7e11';

describe('how capture answers are read', () => {
	const testbed = useTestbed();
	beforeEach(() => {
		for (const paymentToken of [TOKEN, OTHER, THIRD]) testbed.emulator.preAuthorize({ paymentToken, amount: '20.00' });
	});

	/*
	 * A 2xx confirms only the payment it names. A PROCESSING for ANOTHER payment token (a proxy
	 * that mixes up answers) leaves this item "unknown": reporting it captured would mark the
	 * wrong order paid and leave this one to be captured again.
	 */
	test('a 200 PROCESSING for another payment token is not a success of this item', async () => {
		testbed.emulator.injectFault(TOKEN, {
			kind: 'answer',
			status: 200,
			body: { transaction_status: 'PROCESSING', payment_token: OTHER, refresh_token: 'x' },
			captured: true,
		});

		const { success, failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

		expect(success).toEqual([]);
		expect(failed[0]?.json.error).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first' });
	});

	/*
	 * With Stop Workflow the error lists what happened to every item. A payment Letpay calls
	 * "already captured" (01.05.0003) is never listed as "not captured": a reader who trusts that
	 * line would capture it again.
	 */
	test('the stop error does not list an already captured payment as "not captured"', async () => {
		testbed.emulator.injectFault(TOKEN, {
			kind: 'letpay-error',
			status: 422,
			code: '01.05.0003',
			message: 'Capture already performed or expired',
		});
		testbed.emulator.injectFault(OTHER, { kind: 'bad-gateway', captured: true });

		const { error } = await testbed.run({
			orders: [
				{ paymentToken: TOKEN, amount: 10 },
				{ paymentToken: OTHER, amount: 10 },
				{ paymentToken: THIRD, amount: 10 },
			],
			parameters: { options: { concurrency: 3 } },
		});

		expect(error?.context?.itemResults).toMatchObject({ failed: [{ itemIndex: 0, outcome: 'already_captured_or_expired' }, { itemIndex: 1, outcome: 'unknown' }] });
		expect(error?.description).not.toMatch(/not captured: item 1\b/);
	});

	// An odd 2xx is never read as "not captured": it is "unknown" and is not resent.
	test.each([
		['lower-case status', 200, { transaction_status: 'processing' }],
		['status with a space', 200, { transaction_status: 'DECLINED ' }],
		['201 with no status', 201, { payment_token: TOKEN }],
		['`errors: []` and no status', 200, { errors: [] }],
		['`errors` an object', 200, { errors: { code: '00.04.0010' } }],
	])('a 2xx with %s is "unknown"', async (_what, status, body) => {
		testbed.emulator.injectFault(TOKEN, { kind: 'answer', status, body, captured: true });

		const { success, failed } = await testbed.run({ orders: [{ paymentToken: TOKEN, amount: 10 }], onError: 'continueErrorOutput' });

		expect(success).toEqual([]);
		expect(failed[0]?.json.error).toMatchObject({ outcome: 'unknown', retryAdvice: 'check_status_first', attempts: 1 });
	});
});
