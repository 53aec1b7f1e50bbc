import { EmittedStates, OneAtATime, RateLimit } from '../../nodes/LetpayTrigger/memory';
import { claimedStatus, findPayment, isEarlierThan, sameSecret, withoutTokenLikeValues } from '../../nodes/LetpayTrigger/notification';
import { OTHER_PAYMENT_TOKEN as OTHER, PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

/*
 * Letpay documents neither the notification's body nor a signature. The trigger only takes from it
 * the payment to look up (checked with the Payment Token rules) and keeps what it claims as a claim.
 */
describe('finding the payment a notification names (unit)', () => {
	test.each([
		['payment_token at the top', { payment_token: TOKEN }],
		['paymentToken at the top', { paymentToken: TOKEN }],
		['token one object down', { data: { token: TOKEN } }],
		['the same payment twice, in another letter case', { payment_token: TOKEN, data: { paymentToken: TOKEN.toUpperCase() } }],
	])('%s', (_where, body) => {
		expect(findPayment(body, {})).toEqual({ found: true, paymentToken: TOKEN });
	});

	test('a query parameter, when the body names none', () => {
		expect(findPayment({ event: 'x' }, { token: TOKEN })).toEqual({ found: true, paymentToken: TOKEN });
	});

	test('two different payments: none (the trigger answers 400)', () => {
		expect(findPayment({ payment_token: TOKEN }, { token: OTHER })).toEqual({ found: false, reason: 'conflict' });
	});

	test.each([
		['nothing', {}],
		['a path', { payment_token: '../admin' }],
		['an object', { payment_token: { id: TOKEN } }],
		['two levels down', { a: { b: { payment_token: TOKEN } } }],
		['not JSON at all', 'payment_token=x'],
	])('%s: none', (_what, body) => {
		expect(findPayment(body, {})).toEqual({ found: false, reason: 'none' });
	});

	test("the builder's Payment Field, a dotted path, is the only place looked at", () => {
		expect(findPayment({ order: { payment: { id: TOKEN } }, token: OTHER }, {}, 'order.payment.id')).toEqual({ found: true, paymentToken: TOKEN });
		expect(findPayment({ token: OTHER }, {}, 'order.payment.id')).toEqual({ found: false, reason: 'none' });
		expect(findPayment({}, {}, '__proto__.constructor')).toEqual({ found: false, reason: 'none' });
	});
});

describe('what a notification claims (unit)', () => {
	test('the status, in any of its spellings, is read as a claim', () => {
		expect(claimedStatus({ transaction_status: 'paid' })).toBe('PAID');
		expect(claimedStatus({ data: { status: 'DECLINED' } })).toBe('DECLINED');
		expect(claimedStatus({})).toBeNull();
	});

	test('a look-up showing an earlier stage than the claim is taken to lag', () => {
		expect(isEarlierThan('PRE_AUTHORIZED', 'PAID')).toBe(true);
		expect(isEarlierThan('PROCESSING', 'PAID')).toBe(true);
		expect(isEarlierThan('PAID', 'PAID')).toBe(false);
		expect(isEarlierThan('DECLINED', 'PAID')).toBe(false);
		expect(isEarlierThan('PRE_AUTHORIZED', 'SOMETHING_NEW')).toBe(false);
	});

	test('the body, when asked for, keeps nothing that could be a token', () => {
		const body = { event: 'status', payment_token: TOKEN, data: { status: 'PAID', ref: TOKEN, apiKey: 'k', list: [TOKEN, 'short'] } };
		expect(withoutTokenLikeValues(body)).toEqual({ event: 'status', data: { status: 'PAID', ref: '***', list: ['***', 'short'] } });
	});

	test('the shared secret is compared whole, whatever its length', () => {
		expect(sameSecret('s3cret-value', 's3cret-value')).toBe(true);
		expect(sameSecret('s3cret', 's3cret-value')).toBe(false);
		expect(sameSecret(undefined, 's3cret-value')).toBe(false);
		expect(sameSecret(['s3cret-value'], 's3cret-value')).toBe(false);
	});
});

describe("the trigger's memory (unit)", () => {
	test('the same state of a payment is emitted once per workflow; a new state is emitted', () => {
		const emitted = new EmittedStates();
		expect(emitted.isNew('wf-1', 'p', 'PAID|10|0')).toBe(true);
		expect(emitted.isNew('wf-1', 'p', 'PAID|10|0')).toBe(false);
		expect(emitted.isNew('wf-2', 'p', 'PAID|10|0')).toBe(true);
		expect(emitted.isNew('wf-1', 'p', 'REFUNDED|10|10')).toBe(true);
	});

	test('bounded: the least recently emitted payment is forgotten first', () => {
		const emitted = new EmittedStates(2);
		emitted.isNew('wf', 'a', 's');
		emitted.isNew('wf', 'b', 's');
		emitted.isNew('wf', 'c', 's');
		expect(emitted.isNew('wf', 'c', 's')).toBe(false);
		expect(emitted.isNew('wf', 'a', 's')).toBe(true);
	});

	test('one look-up in flight per payment: a second notification shares it, a later one starts anew', async () => {
		const once = new OneAtATime<Promise<number>>();
		let calls = 0;
		const lookUp = async () => {
			calls++;
			await new Promise((resolve) => setImmediate(resolve));
			return calls;
		};
		const run = () => once.run('p', lookUp, async (work) => await work);
		await expect(Promise.all([run(), run()])).resolves.toEqual([1, 1]);
		await new Promise((resolve) => setImmediate(resolve));
		await expect(run()).resolves.toBe(2);
	});

	test('the rate limit allows N per sliding minute and scope', () => {
		const limit = new RateLimit();
		const start = 1_000_000;
		for (let index = 0; index < 3; index++) expect(limit.allow('wf', 3, start + index)).toBe(true);
		expect(limit.allow('wf', 3, start + 10)).toBe(false);
		expect(limit.allow('other', 3, start + 10)).toBe(true);
		expect(limit.allow('wf', 3, start + 60_001)).toBe(true);
	});
});
