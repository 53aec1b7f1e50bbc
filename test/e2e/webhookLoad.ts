/** What a shop's webhook got back for one order. */
export interface WebhookAnswer {
	paymentToken: string;
	status: number;
	body: Record<string, unknown>;
	ms: number;
}

export interface WebhookLoad {
	answers: WebhookAnswer[];
	seconds: number;
}

async function post(url: string, paymentToken: string, amount: number): Promise<WebhookAnswer> {
	const started = Date.now();
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ paymentToken, amount }),
		signal: AbortSignal.timeout(120_000),
	});
	const text = await response.text();
	let body: Record<string, unknown>;
	try {
		body = JSON.parse(text) as Record<string, unknown>;
	} catch {
		body = { unreadable: text.slice(0, 200) };
	}
	return { paymentToken, status: response.status, body, ms: Date.now() - started };
}

/**
 * Sends one webhook per payment token, `inFlight` at a time, as a shop's order system would.
 * `afterAnswers` runs once when that many answers have arrived (e.g. to expire the access tokens
 * in the middle of the run).
 */
export async function sendWebhooks(
	url: string,
	paymentTokens: string[],
	{ inFlight, amount = 10, afterAnswers }: { inFlight: number; amount?: number; afterAnswers?: [number, () => void] },
): Promise<WebhookLoad> {
	const answers: WebhookAnswer[] = [];
	let next = 0;
	const started = Date.now();
	const lane = async () => {
		while (next < paymentTokens.length) {
			answers.push(await post(url, paymentTokens[next++], amount));
			if (afterAnswers && answers.length === afterAnswers[0]) afterAnswers[1]();
		}
	};
	await Promise.all(Array.from({ length: inFlight }, lane));
	return { answers, seconds: (Date.now() - started) / 1000 };
}

/** Two webhooks for the same payment at the same moment (a shop that fires its event twice). */
export async function sendTwiceAtOnce(url: string, paymentToken: string, amount = 10): Promise<[WebhookAnswer, WebhookAnswer]> {
	return await Promise.all([post(url, paymentToken, amount), post(url, paymentToken, amount)]);
}
