/** Fields of a multipart/form-data body. */
export function parseMultipartForm(contentType: string, body: string): Record<string, string> {
	const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
	if (!contentType.startsWith('multipart/form-data') || !boundary) return {};
	const fields: Record<string, string> = {};
	for (const part of body.split(`--${boundary[1] ?? boundary[2]}`)) {
		const match = /^\r\n([\s\S]*?)\r\n\r\n([\s\S]*)\r\n$/.exec(part);
		const name = match && /name="([^"]*)"/.exec(match[1]);
		if (match && name) fields[name[1]] = match[2];
	}
	return fields;
}

export type AmountLexeme =
	| { kind: 'missing' }
	| { kind: 'number'; text: string; decimals: number; cents: number | undefined };

/*
 * Letpay (a Java service) reads `amount` as a BigDecimal, so "123.456" has three decimals even
 * though JSON.parse would hand back a double. The raw lexeme of the JSON number is read here.
 */
export function readAmountLexeme(body: string, parsed: Record<string, unknown>): AmountLexeme {
	if (parsed.amount === undefined || parsed.amount === null) return { kind: 'missing' };
	const match = /"amount"\s*:\s*"?(-?\d+)(?:\.(\d+))?([eE][+-]?\d+)?"?/.exec(body);
	if (!match) return { kind: 'number', text: String(parsed.amount), decimals: 0, cents: undefined };
	const [, whole, fraction = '', exponent] = match;
	const significant = fraction.replace(/0+$/, '');
	const text = match[0].replace(/^"amount"\s*:\s*/, '');
	if (exponent) return { kind: 'number', text, decimals: significant.length, cents: undefined };
	const cents = Number(whole) * 100 + Math.sign(Number(`${whole}1`)) * Number(significant.padEnd(2, '0').slice(0, 2));
	return { kind: 'number', text, decimals: significant.length, cents };
}

/** "100.00", "25.5", 100 -> integer cents, exactly. */
export function toCents(amount: number | string): number {
	const [whole, fraction = ''] = String(amount).split('.');
	return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}
