import { randomBytes } from 'crypto';

export interface MultipartBody {
	contentType: string;
	body: string;
}

/*
 * Letpay's /auth takes multipart form data. Writing the few bytes by hand keeps the credential
 * free of runtime dependencies and behaves the same under every n8n version's HTTP client.
 */
export function encodeMultipartForm(fields: Record<string, string>): MultipartBody {
	const boundary = `----n8nLetpay${randomBytes(12).toString('hex')}`;
	const parts = Object.entries(fields).map(
		([name, value]) =>
			`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
	);
	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		body: `${parts.join('')}--${boundary}--\r\n`,
	};
}
