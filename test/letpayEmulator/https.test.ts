import { request } from 'node:https';

import { DEFAULT_API_KEY, startLetpayEmulator } from './index';
import { makeSelfSignedCertificate } from './selfSignedCertificate';

/** Real Letpay is HTTPS: the emulator can be too, with a certificate made when it starts. */
function signIn(url: string, ca?: string): Promise<number> {
	const form = `--b\r\nContent-Disposition: form-data; name="apiKey"\r\n\r\n${DEFAULT_API_KEY.apiKey}\r\n--b\r\nContent-Disposition: form-data; name="apiSecret"\r\n\r\n${DEFAULT_API_KEY.apiSecret}\r\n--b--\r\n`;
	return new Promise((resolve, reject) => {
		const outgoing = request(`${url}/auth`, { method: 'POST', ca, headers: { 'Content-Type': 'multipart/form-data; boundary=b' } }, (answer) => {
			answer.resume();
			answer.on('end', () => resolve(answer.statusCode ?? 0));
		});
		outgoing.on('error', reject);
		outgoing.end(form);
	});
}

test('HTTPS: a client that trusts the certificate signs in; one that does not is refused by TLS', async () => {
	const certificate = makeSelfSignedCertificate();
	const emulator = await startLetpayEmulator({ tls: certificate });
	try {
		expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
		expect(await signIn(emulator.url, certificate.cert)).toBe(200);
		await expect(signIn(emulator.url)).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
		// Both clients opened a TCP connection: the TLS handshake comes after.
		expect(emulator.connectionsOpened).toBe(2);
	} finally {
		await emulator.close();
	}
});
