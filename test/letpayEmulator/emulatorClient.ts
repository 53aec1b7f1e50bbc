import { startLetpayEmulator, type EmulatorOptions, type LetpayEmulator } from './index';

/** A bare HTTP client of the emulator for its own tests: what any Letpay client would send. */
export const TOKEN = '8f048623-16c6-47da-aca1-546a16e8fb99';

export async function withEmulator(options: EmulatorOptions, body: (emulator: LetpayEmulator) => Promise<void>) {
	const emulator = await startLetpayEmulator(options);
	try {
		await body(emulator);
	} finally {
		await emulator.close();
	}
}

export function multipart(fields: Record<string, string>) {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	return form;
}

export async function auth(emulator: LetpayEmulator, body: FormData | URLSearchParams) {
	const response = await fetch(`${emulator.url}/auth`, { method: 'POST', body });
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function token(emulator: LetpayEmulator): Promise<string> {
	const { body } = await auth(emulator, multipart({ apiKey: 'sandbox-key', apiSecret: 'sandbox-secret' }));
	return body.token as string;
}

export async function capture(emulator: LetpayEmulator, accessToken: string, rawBody: string, paymentToken = TOKEN) {
	const response = await fetch(`${emulator.url}/token/${paymentToken}/capture`, {
		method: 'POST',
		headers: { 'X-Auth-Token': accessToken, 'Content-Type': 'application/json' },
		body: rawBody,
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}


export async function lookup(emulator: LetpayEmulator, accessToken: string, path: string) {
	const response = await fetch(`${emulator.url}${path}`, { headers: { 'X-Auth-Token': accessToken } });
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
