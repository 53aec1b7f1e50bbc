import { UserError } from 'n8n-workflow';

import { describeEnvironment, type ResolvedEnvironment } from './environment';

/*
 * Thrown by the credential's preAuthentication. Fixed texts only: nothing from Letpay's answer
 * (or from the request, which holds the API secret) is carried along, so nothing can leak.
 */
export class LetpayCredentialsRejectedError extends UserError {
	constructor(environment: ResolvedEnvironment) {
		super(
			`Letpay rejected the API key or API secret (${describeEnvironment(environment)}). ` +
				'Check both values in the Letpay API credential, and that they were created for this environment.',
		);
	}
}

export class LetpayAuthUnavailableError extends UserError {
	constructor(environment: ResolvedEnvironment, detail: string) {
		super(
			`Could not obtain a Letpay access token (${describeEnvironment(environment)}): ${detail}`,
		);
	}
}

export function isLetpayCredentialError(candidate: unknown): candidate is UserError {
	return (
		candidate instanceof LetpayCredentialsRejectedError ||
		candidate instanceof LetpayAuthUnavailableError
	);
}
