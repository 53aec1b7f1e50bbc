import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { redactUrl } from './origin';

export type LetpayEnvironment = 'sandbox' | 'production' | 'custom';

export const LETPAY_HOSTS: Record<Exclude<LetpayEnvironment, 'custom'>, string> = {
	sandbox: 'https://api-sandbox.letpay.io',
	production: 'https://api.letpay.io',
};

const ENVIRONMENT_LABELS: Record<LetpayEnvironment, string> = {
	sandbox: 'Sandbox',
	production: 'Production',
	custom: 'Custom',
};

export interface ResolvedEnvironment {
	label: string;
	baseUrl: string;
}

/** Where requests for these credentials go, and how to name that place in an error message. */
export function resolveEnvironment(credentials: ICredentialDataDecryptedObject): ResolvedEnvironment {
	const environment = (credentials.environment as LetpayEnvironment | undefined) ?? 'sandbox';
	const label = ENVIRONMENT_LABELS[environment] ?? String(environment);
	const baseUrl =
		environment === 'custom'
			? String(credentials.baseUrl ?? '').trim()
			: LETPAY_HOSTS[environment] ?? LETPAY_HOSTS.sandbox;
	return { label, baseUrl: baseUrl.replace(/\/+$/, '') };
}

export function describeEnvironment({ label, baseUrl }: ResolvedEnvironment): string {
	return `${label} environment, ${baseUrl ? redactUrl(baseUrl) : 'no base URL set'}`;
}
