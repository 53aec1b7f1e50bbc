import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SelfSignedCertificate {
	key: string;
	cert: string;
	/** The certificate's file: give it to a Node process as NODE_EXTRA_CA_CERTS to trust it. */
	certPath: string;
}

/**
 * A certificate for 127.0.0.1, made now with Debian's openssl, so that the emulator can speak
 * HTTPS as real Letpay does. It lives one day in a temporary folder; nothing is kept in the repo.
 */
export function makeSelfSignedCertificate(): SelfSignedCertificate {
	const folder = mkdtempSync(path.join(os.tmpdir(), 'letpay-emulator-tls-'));
	const keyPath = path.join(folder, 'key.pem');
	const certPath = path.join(folder, 'cert.pem');
	execFileSync(
		'openssl',
		['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
			'-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath],
		{ stdio: 'pipe' },
	);
	return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
}
