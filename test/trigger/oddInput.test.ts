import { freshPaymentToken } from '../helpers/captures';
import { requestsTo, useTestbed } from '../helpers/testbed';
import { notifyTrigger, type Notification } from '../helpers/triggerCall';

/* Promise 6: webhook() never throws, whatever the body, query or parameters. */
const SAFE = (status: number | undefined) => [200, 400, 401, 429, 503].includes(status ?? 0);

describe('odd input never crashes webhook()', () => {
	const testbed = useTestbed({ paidAfterMs: 0 });
	const notify = async (n: Notification) => await notifyTrigger(testbed.credentials, { workflowId: `wf-${freshPaymentToken()}`, ...n });

	const deep = (levels: number) => {
		let value: unknown = { payment_token: 'x' };
		for (let i = 0; i < levels; i++) value = { a: value };
		return value;
	};
	const protoBody = JSON.parse('{"__proto__": {"payment_token": "abc"}, "constructor": {"prototype": {"token": "def"}}}');

	test.each([
		['null', null],
		['array', [{ payment_token: 'abc' }]],
		['string', 'payment_token=abc'],
		['number', 42],
		['boolean', true],
		['__proto__/constructor', protoBody],
		['huge string under 64KB', { payment_token: 'a'.repeat(60_000) }],
		['token as number', { payment_token: 12345 }],
		['token as array', { payment_token: ['abc', 'def'] }],
		['status as object', { payment_token: 'abc', status: { toUpperCase: 1 } }],
	])('body %s', async (_what, body) => {
		const answer = await notify({ body, parameters: { options: { includeNotificationBody: true } } });
		expect(SAFE(answer.status)).toBe(true);
	});

	test.each([
		['secret array', { secret: ['a', 'b'] }],
		['secret object', { secret: { a: 'b' } }],
		['token array', { token: ['abc', 'abc'] }],
		['token repeated differently', { token: ['abc', 'def'], payment_token: 'abc' }],
	])('query %s', async (_what, query) => {
		const answer = await notify({ body: {}, query: query as never, parameters: { options: { sharedSecret: 'abc-secret' } } });
		expect(SAFE(answer.status)).toBe(true);
		const open = await notify({ body: {}, query: query as never });
		expect(SAFE(open.status)).toBe(true);
	});

	test.each([
		['statuses as a string (expression)', { statuses: '={{ "PAID" }}' }],
		['statuses as null', { statuses: null }],
		['options as null', { options: null }],
		['options as a string', { options: '={{ "x" }}' }],
		['settleWindow NaN', { options: { settleWindow: '={{ NaN }}', lookupsPerMinute: '={{ 0/0 }}' } }],
		['lookupsPerMinute 0', { options: { lookupsPerMinute: 0 } }],
		['paymentField number', { options: { paymentField: '={{ 5 }}' } }],
		['sharedSecret number', { options: { sharedSecret: '={{ 123456 }}' } }],
		['simple string', { simple: '={{ "yes" }}' }],
	])('parameters: %s', async (_what, parameters) => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		let answer;
		try {
			answer = await notify({ body: { payment_token: paymentToken }, parameters: parameters as never });
		} catch (error) {
			throw new Error(`webhook() threw: ${(error as Error).message}`);
		}
		expect(SAFE(answer.status)).toBe(true);
	});

	test.each([
		['deep 5000, with content-length', true],
		['deep 5000, no Content-Length and no rawBody (as n8n leaves multipart requests)', false],
	])('body %s', async (_what, withLength) => {
		const body = deep(5000);
		const rawText = '{"a":'.repeat(5000) + '{"payment_token":"x"}' + '}'.repeat(5000);
		const answer = await notifyTrigger(testbed.credentials, {
			workflowId: `wf-${freshPaymentToken()}`,
			body,
			rawText: withLength ? rawText : undefined,
			headers: withLength ? {} : { 'transfer-encoding': 'chunked' },
			parameters: { options: { includeNotificationBody: true } },
		});
		expect(SAFE(answer.status)).toBe(true);
	});

	test.each(['={{ 123456 }}', '={{ $vars.letpayNotifySecret }}', '={{ undefined }}'])('a Shared Secret set as %s is still enforced (fail closed), or refused loudly', async (sharedSecret) => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		const answer = await notify({ body: { payment_token: paymentToken }, parameters: { options: { sharedSecret } } });
		expect(answer.status).not.toBe(200);
		expect(requestsTo(testbed.emulator, '/transactionDetails')).toHaveLength(0);
	});

	test.each([[['paid']], [['PAYED']], ['={{ ["paid"] }}']])('Statuses %j that match no known status fail closed: a forged "PAID" for a pre-authorized payment starts nothing', async (statuses) => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		const answer = await notify({ body: { payment_token: paymentToken, status: 'PAID' }, parameters: { statuses: statuses as never, options: { settleWindow: 0 } } });
		expect(answer.emitted).toBeUndefined();
	});
});
