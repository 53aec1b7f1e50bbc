import type { INodeProperties } from 'n8n-workflow';

import { concurrencyOption, includeInputFieldsOption, optionsCollection } from './parameters';

/** Node turns timers above 2^31 ms into 1 ms; five minutes is more than any capture needs. */
export const MAX_TIMEOUT_MS = 300_000;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_VERIFICATION_WINDOW_MS = 10_000;
export const MAX_VERIFICATION_WINDOW_MS = 120_000;

export const captureOptions = (show: Record<string, string[]>): INodeProperties =>
	optionsCollection(show, [
		{
			displayName: 'Check Before Capture',
			name: 'checkBeforeCapture',
			type: 'boolean',
			default: false,
			description:
				'Whether to look the payment up first and capture only if it is still pre-authorized. Covers a capture repeated by another execution (a re-sent webhook). Always on when an AI agent uses this node as a tool.',
		},
		concurrencyOption('captures'),
		{
			displayName: 'Duplicate Payment Tokens',
			name: 'duplicateTokens',
			type: 'options',
			default: 'fail',
			description:
				'What to do with an item whose payment token (in any letter case) an earlier item of this execution already has, in this run or an earlier run of this node. It is never sent twice.',
			options: [
				{ name: 'Fail the Later Items', value: 'fail' },
				{ name: 'Skip the Later Items', value: 'skip' },
			],
		},
		{
			displayName: 'If Already Captured',
			name: 'ifAlreadyCaptured',
			type: 'options',
			default: 'fail',
			description:
				'What to do when Letpay says the payment was captured before (01.05.0001, 01.05.0003) and a look-up confirms it: re-running a batch can then be safe and quiet',
			options: [
				{ name: 'Fail the Item', value: 'fail', description: 'An error item with what the look-up showed' },
				{ name: 'Output as Captured', value: 'output', description: 'A success item marked alreadyCaptured: true' },
			],
		},
		includeInputFieldsOption,
		{
			displayName: 'Include Refresh Token',
			name: 'includeRefreshToken',
			type: 'boolean',
			default: false,
			description:
				"Whether to add Letpay's refresh_token to the output. It is a live access token: anyone who sees the execution data can use it until it expires.",
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 2,
			description:
				'How often to resend a capture that certainly did not reach Letpay (connection refused, DNS failure, HTTP 429), waiting longer each time. A capture that may have reached Letpay is never resent.',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1000, maxValue: MAX_TIMEOUT_MS },
			default: 30000,
			description:
				'How long the whole exchange with Letpay may take, at most 300000 (5 minutes). When it passes, the capture outcome is unknown and the item fails.',
		},
		{
			displayName: 'Verification Window (Ms)',
			name: 'verificationWindow',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: MAX_VERIFICATION_WINDOW_MS },
			default: DEFAULT_VERIFICATION_WINDOW_MS,
			description:
				'After an uncertain answer (no answer, a reset, a redirect, a 5xx, 01.05.0017), how long to keep looking the payment up to learn whether it was captured. 0 turns verification off.',
		},
	]);
