import type { LetpayEmulator } from '../letpayEmulator';
import { capturedLogs } from './capturedLogs';

export interface ApiKeyPair {
	apiKey: string;
	apiSecret: string;
}

/** Everything that must never leave the credential: the key pair and every access token issued. */
export function secretsOf(emulator: LetpayEmulator, account: ApiKeyPair): string[] {
	return [account.apiKey, account.apiSecret, ...emulator.issuedAccessTokens];
}

/** The secrets found in `text`, masked so that a failing test does not print them either. */
export function findLeaks(text: string, secrets: string[]): string[] {
	return secrets.filter((secret) => secret !== '' && text.includes(secret)).map((secret) => `${secret.slice(0, 3)}***`);
}

/** Log lines n8n wrote since `from` (an index into the captured log). */
export function logsSince(from: number): string {
	return capturedLogs.slice(from).join('\n');
}
