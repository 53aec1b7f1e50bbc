import type { LetpayEmulator } from '../letpayEmulator';
import { capturedLogs } from './capturedLogs';

export const API_KEY = 'sandbox-key';
export const API_SECRET = 'sandbox-secret';

/** Everything that must never leave the credential: the key pair and every access token issued. */
export function secretsOf(emulator: LetpayEmulator): string[] {
	return [API_KEY, API_SECRET, ...emulator.issuedAccessTokens];
}

/** The secrets found in `text`, masked so that a failing test does not print them either. */
export function findLeaks(text: string, secrets: string[]): string[] {
	return secrets.filter((secret) => secret !== '' && text.includes(secret)).map((secret) => `${secret.slice(0, 3)}***`);
}

/** Log lines n8n wrote since `from` (an index into the captured log). */
export function logsSince(from: number): string {
	return capturedLogs.slice(from).join('\n');
}
