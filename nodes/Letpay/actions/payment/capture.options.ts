import type { INodeProperties } from 'n8n-workflow';

export const MAX_CONCURRENCY = 50;
/** Node turns timers above 2^31 ms into 1 ms; five minutes is more than any capture needs. */
export const MAX_TIMEOUT_MS = 300_000;
export const DEFAULT_TIMEOUT_MS = 30_000;

export const captureOptions = (show: Record<string, string[]>): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show },
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 5,
			description:
				'How many captures may be in flight at once. Output order and item pairing stay as in the input.',
		},
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
			displayName: 'Include Refreshed Access Token',
			name: 'includeRefreshToken',
			type: 'boolean',
			default: false,
			description:
				"Whether to add Letpay's refresh_token to the output. It is a live access token: anyone who sees the execution data can use it until it expires.",
		},
		{
			displayName: 'Max Retries (Only When Letpay Was Not Reached)',
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
	],
});
