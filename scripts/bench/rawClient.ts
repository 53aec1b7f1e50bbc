/** The floor: a plain fetch loop doing the same captures, `concurrency` at a time. */
export async function captureWithFetch(
	baseUrl: string,
	accessToken: string,
	orders: Array<{ paymentToken: string; amount: number }>,
	concurrency: number,
): Promise<number> {
	let next = 0;
	const started = performance.now();
	const lane = async () => {
		while (next < orders.length) {
			const { paymentToken, amount } = orders[next++];
			const response = await fetch(`${baseUrl}/token/${encodeURIComponent(paymentToken)}/capture`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'X-Auth-Token': accessToken },
				body: JSON.stringify({ amount }),
			});
			if (response.status !== 200) throw new Error(`raw capture answered ${response.status}`);
			await response.arrayBuffer();
		}
	};
	await Promise.all(Array.from({ length: concurrency }, lane));
	return (performance.now() - started) / 1000;
}

export async function fetchAccessToken(baseUrl: string, apiKey: string, apiSecret: string): Promise<string> {
	const form = new FormData();
	form.append('apiKey', apiKey);
	form.append('apiSecret', apiSecret);
	const response = await fetch(`${baseUrl}/auth`, { method: 'POST', body: form });
	return ((await response.json()) as { token: string }).token;
}
