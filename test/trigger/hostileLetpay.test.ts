import { freshPaymentToken } from '../helpers/captures';
import { findLeaks, secretsOf } from '../helpers/secrets';
import { requestsTo, useExpiringTestbed, useTestbed } from '../helpers/testbed';
import { QUOTED_AUTH_TOKEN, type Fault } from '../letpayEmulator';
import { notifyTrigger } from '../helpers/triggerCall';

/* Hostile look-up answers, token expiry: never a crash, never a leak, never an echo; 503 or Letpay's own answer. */
describe('hostile look-up answers', () => {
	const testbed = useTestbed({ paidAfterMs: 0 });
	const deepJson = '{"general_info":' + '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000) + '}';

	test.each<[string, Fault]>([
		['200 null', { kind: 'answer', status: 200, body: 'null' }],
		['200 array', { kind: 'answer', status: 200, body: '[]' }],
		['200 string', { kind: 'answer', status: 200, body: '"PAID"' }],
		['200 deep', { kind: 'answer', status: 200, body: deepJson }],
		['200 invalid json', { kind: 'invalid-json', status: 200 }],
		['200 html', { kind: 'html', status: 200 }],
		['200 empty', { kind: 'empty', status: 200 }],
		['200 status as object', { kind: 'answer', status: 200, body: { general_info: { transaction_status: { PAID: true } } } }],
		['200 __proto__ status', { kind: 'answer', status: 200, body: JSON.parse('{"general_info": {"__proto__": {"transaction_status": "PAID"}}}') }],
		['redirect', { kind: 'redirect', status: 302, location: 'http://127.0.0.1:9/x' }],
		['401 plain (refused token)', { kind: 'unauthorized' }],
		['429 with Retry-After 1', { kind: 'rate-limit', retryAfterSeconds: 1 }],
		['a 400 whose message quotes the access token', { kind: 'letpay-error', status: 400, code: '00.01.0099', message: `bad token ${QUOTED_AUTH_TOKEN}` }],
	])('%s: 503 or 200, no echo, no leak', async (_what, fault) => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		testbed.emulator.injectLookupFault(paymentToken, fault, 2);

		const answer = await notifyTrigger(testbed.credentials, { workflowId: `wf-${paymentToken}`, body: { payment_token: paymentToken, status: 'PAID' }, parameters: { simple: false, options: { settleWindow: 0 } } });

		expect([200, 503]).toContain(answer.status);
		const everything = JSON.stringify(answer);
		expect(findLeaks(everything, secretsOf(testbed.emulator, testbed.account))).toEqual([]);
		expect(JSON.stringify(answer.body)).not.toContain(paymentToken);
		if (answer.emitted) expect(answer.emitted[0].transactionStatus).not.toBe('PAID');
	});

	test('a 200 whose texts quote the access token: the emitted item holds no access token', async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		testbed.emulator.injectLookupFault(paymentToken, {
			kind: 'answer',
			status: 200,
			body: { general_info: { transaction_status: 'DECLINED', transaction_id: QUOTED_AUTH_TOKEN, external_id: `ref ${QUOTED_AUTH_TOKEN}` }, payment_info: { error_description: `session ${QUOTED_AUTH_TOKEN} refused`, card_scheme: QUOTED_AUTH_TOKEN } },
		});

		const answer = await notifyTrigger(testbed.credentials, { workflowId: `wf-${paymentToken}`, body: { payment_token: paymentToken }, parameters: { simple: false } });

		expect(answer.emitted).toHaveLength(1);
		expect(findLeaks(JSON.stringify(answer), secretsOf(testbed.emulator, testbed.account))).toEqual([]);
	});
});

describe('access tokens expire between notifications', () => {
	const testbed = useExpiringTestbed({ paidAfterMs: 0 });

	test('the second notification, after every token expired, is looked up with a new one and emitted', async () => {
		const first = freshPaymentToken();
		const second = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken: first, amount: '10.00' });
		testbed.emulator.preAuthorize({ paymentToken: second, amount: '10.00' });

		const one = await notifyTrigger(testbed.credentials, { workflowId: 'wf-exp', body: { payment_token: first } });
		testbed.expireAfterRequests(testbed.emulator.requests.length);
		const two = await notifyTrigger(testbed.credentials, { workflowId: 'wf-exp', body: { payment_token: second } });
		const unknown = await notifyTrigger(testbed.credentials, { workflowId: 'wf-exp', body: { payment_token: freshPaymentToken() } });

		expect(one.emitted).toHaveLength(1);
		expect(two).toMatchObject({ status: 200 });
		expect(two.emitted).toHaveLength(1);
		expect(unknown).toMatchObject({ status: 200, emitted: undefined });
		expect(testbed.emulator.authCalls).toBeGreaterThanOrEqual(2);
		expect(requestsTo(testbed.emulator, '/transactionDetails').length).toBeGreaterThanOrEqual(3);
	});
});
