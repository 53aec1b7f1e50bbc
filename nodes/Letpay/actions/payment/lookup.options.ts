import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS } from './capture.options';
import { includeInputFieldsOption, MAX_CONCURRENCY } from './parameters';
import { itemOptions } from '../itemOptions';

/** Per-item settings of a look-up. */
export interface LookupSettings {
	timeoutMs: number;
	maxRetries: number;
	includeRaw: boolean;
}


export const lookupOptions: INodeProperties[] = [
	includeInputFieldsOption,
	{
		displayName: 'Include Letpay Answer',
		name: 'includeRaw',
		type: 'boolean',
		default: false,
		description: "Whether to add Letpay's whole answer (without its access token) as `letpay`",
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 2,
		description: 'How often to repeat a look-up that failed in a way that may pass (5xx, no answer, a reset), waiting longer each time. A look-up changes nothing, so repeating it is safe.',
	},
	{
		displayName: 'Timeout (Ms)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1000, maxValue: MAX_TIMEOUT_MS },
		default: DEFAULT_TIMEOUT_MS,
		description: 'How long one exchange with Letpay may take, at most 300000 (5 minutes)',
	},
];

export function readLookupOptions(ctx: IExecuteFunctions, itemIndex: number): LookupSettings {
	const options = itemOptions(ctx, itemIndex);
	const timeout = typeof options.timeout === 'number' && options.timeout > 0 ? options.timeout : DEFAULT_TIMEOUT_MS;
	return {
		timeoutMs: Math.min(timeout, MAX_TIMEOUT_MS),
		// An expression can bypass the editor's 0-10: the same bounds apply at run time.
		maxRetries: typeof options.maxRetries === 'number' && Number.isFinite(options.maxRetries) ? Math.min(10, Math.max(0, Math.floor(options.maxRetries))) : 2,
		includeRaw: options.includeRaw === true,
	};
}

const DEFAULT_CONCURRENCY = 5;

/**
 * An expression can give anything: NaN (`Number($json.missing)`) or Infinity falls back to the
 * default, not to "no lane at all" (which would process no item); a finite value is clamped.
 */
export function readConcurrency(this: IExecuteFunctions): number {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const wanted = typeof options.concurrency === 'number' && Number.isFinite(options.concurrency) ? Math.floor(options.concurrency) : DEFAULT_CONCURRENCY;
	return Math.min(MAX_CONCURRENCY, Math.max(1, wanted));
}
