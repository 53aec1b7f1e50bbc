import { UserError } from 'n8n-workflow';

import { describeEnvironment, type ResolvedEnvironment } from './environment';
import { CREDENTIAL_ERROR_PREFIX } from './httpFailure';

/*
 * Thrown by the credential's preAuthentication. Fixed texts only: nothing from Letpay's answer
 * (or from the request, which holds the API secret) is carried along, so nothing can leak.
 * `errorCode` survives n8n's wrapping in 1.x and 2.x alike, so the node can tell these apart.
 * The messages avoid socket codes (ECONNREFUSED...): n8n would swap such a message for its own.
 */
export class LetpayCredentialsRejectedError extends UserError {
	readonly errorCode = `${CREDENTIAL_ERROR_PREFIX}CREDENTIALS_REJECTED`;

	constructor(environment: ResolvedEnvironment) {
		super(
			`Letpay rejected the API key or API secret (${describeEnvironment(environment)}). ` +
				'Check both values in the Letpay API credential, and that they were created for this environment.',
		);
	}
}

export class LetpayAuthUnavailableError extends UserError {
	readonly errorCode = `${CREDENTIAL_ERROR_PREFIX}AUTH_UNAVAILABLE`;

	constructor(environment: ResolvedEnvironment, detail: string) {
		super(`Could not obtain a Letpay access token (${describeEnvironment(environment)}): ${detail}`);
	}
}

export const NOT_SENT_MESSAGE = 'Letpay took longer than the timeout to sign in, so nothing was sent for this item';

/** authenticate() refused to let a request go out: its deadline passed during the sign-in. */
export class LetpayNotSentError extends UserError {
	readonly errorCode = `${CREDENTIAL_ERROR_PREFIX}NOT_SENT`;

	constructor() {
		super(NOT_SENT_MESSAGE);
	}
}

const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved',
	ECONNRESET: 'the connection was reset',
	ECONNABORTED: 'Letpay did not answer in time',
	ETIMEDOUT: 'Letpay did not answer in time',
};

export function describeAuthFailure(status: number | undefined, code: string | undefined): string {
	if (status !== undefined) return `Letpay answered HTTP ${status}`;
	return NETWORK_WORDS[code ?? ''] ?? 'the request failed before Letpay answered';
}
