import type { LetpayClient, LetpayRequest, LetpayResult } from '../../nodes/Letpay/transport/letpayClient';

type Answer = LetpayResult | ((request: LetpayRequest) => LetpayResult);

/**
 * A LetpayClient that answers from a script, for the unit layer: no HTTP, no engine, no emulator.
 * Each request takes the next answer; the last one repeats. `requests` records what was sent.
 */
export function fakeClient(...answers: Answer[]): LetpayClient & { requests: LetpayRequest[] } {
	const requests: LetpayRequest[] = [];
	return {
		environment: 'Sandbox environment, https://api-sandbox.letpay.io',
		account: 'fake-account',
		requests,
		async send(request) {
			requests.push(request);
			const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
			return typeof answer === 'function' ? answer(request) : answer;
		},
	};
}

/** Letpay's look-up answer for a payment in `status`, with its order and captured amounts. */
export function lookupAnswer(status: string, orderAmount: number, capturedAmount: number | null): LetpayResult {
	return {
		ok: true,
		status: 200,
		attempts: 1,
		tokens: [],
		body: { general_info: { transaction_status: status }, payment_info: { order_amount: orderAmount, payment_amount: capturedAmount, order_currency: 'BRL' } },
	};
}
