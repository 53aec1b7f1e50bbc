import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

/*
 * Every parameter the operations share, and the one reader of an item's Options: each default and
 * bound is written here once, for the editor and for run time alike (an expression can give any
 * value the editor would refuse).
 */

type Show = Record<string, string[]>;

/**
 * Each number option's default and bounds: `editorMin` is what the editor allows, `min` what run
 * time accepts from an expression. Node turns timers above 2^31 ms into 1 ms; five minutes is more
 * than any exchange needs.
 */
const NUMBER_OPTIONS = {
	timeout: { default: 30_000, editorMin: 1000, min: 1, max: 300_000 },
	maxRetries: { default: 2, editorMin: 0, min: 0, max: 10 },
	verificationWindow: { default: 10_000, editorMin: 0, min: 0, max: 120_000 },
	concurrency: { default: 5, editorMin: 1, min: 1, max: 50 },
};
type NumberOption = keyof typeof NUMBER_OPTIONS;

function numberOption(displayName: string, name: NumberOption, description: string): INodeProperties {
	const { default: byDefault, editorMin, max } = NUMBER_OPTIONS[name];
	return { displayName, name, type: 'number', typeOptions: { minValue: editorMin, maxValue: max }, default: byDefault, description };
}

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

export const concurrencyOption = (what: string): INodeProperties =>
	numberOption('Concurrency', 'concurrency', `How many ${what} may be in flight at once. Output order and item pairing stay as in the input.`);

const maxRetriesOption = (description: string) => numberOption('Max Retries', 'maxRetries', description);
const timeoutOption = (description: string) => numberOption('Timeout (Ms)', 'timeout', description);

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
		maxRetriesOption('How often to resend a capture that certainly did not reach Letpay (connection refused, DNS failure, HTTP 429), waiting longer each time. A capture that may have reached Letpay is never resent.'),
		timeoutOption('How long the whole exchange with Letpay may take, at most 300000 (5 minutes). When it passes, the capture outcome is unknown and the item fails.'),
		numberOption('Verification Window (Ms)', 'verificationWindow', 'After an uncertain answer (no answer, a reset, a redirect, a 5xx, 01.05.0017), how long to keep looking the payment up to learn whether it was captured. 0 turns verification off.'),
	]);

export const lookupOptions: INodeProperties[] = [
	includeInputFieldsOption,
	{
		displayName: 'Include Letpay Answer',
		name: 'includeRaw',
		type: 'boolean',
		default: false,
		description: "Whether to add Letpay's whole answer (without its access token) as `letpay`",
	},
	maxRetriesOption('How often to repeat a look-up that failed in a way that may pass (5xx, no answer, a reset), waiting longer each time. A look-up changes nothing, so repeating it is safe.'),
	timeoutOption('How long one exchange with Letpay may take, at most 300000 (5 minutes)'),
];

function quote(value: unknown): string {
	const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A parameter an item cannot be sent with: names the item (counting from 1) and the field. */
export function invalidInput(ctx: IExecuteFunctions, itemIndex: number, field: string, value: unknown, reason: string) {
	return new NodeOperationError(ctx.getNode(), `Invalid ${field} in item ${itemIndex + 1}: ${quote(value)} ${reason}`, {
		itemIndex,
		description: 'Nothing was sent to Letpay for this item.',
	});
}

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

const readers = new WeakMap<IExecuteFunctions, (itemIndex: number) => IDataObject>();

/**
 * An item's raw Options. n8n resolves a parameter anew for every item, copying it each time;
 * Options without an expression are the same for every item, so they are read once per run (the
 * node's execution context is the same object for the whole run).
 */
function rawOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	let read = readers.get(ctx);
	if (!read) {
		let once: IDataObject | undefined;
		read = holdsExpression(ctx.getNode().parameters.options)
			? (index) => ctx.getNodeParameter('options', index, {}) as IDataObject
			: () => (once ??= Object.freeze(ctx.getNodeParameter('options', 0, {}) as IDataObject));
		readers.set(ctx, read);
	}
	return read(itemIndex);
}

/** An option's value within its bounds; anything but a finite number (NaN from `Number($json.missing)`) gives its default. */
function bounded(options: IDataObject, name: NumberOption): number {
	const { default: fallback, min, max } = NUMBER_OPTIONS[name];
	const value = options[name];
	return Math.min(max, Math.max(min, typeof value === 'number' && Number.isFinite(value) ? value : fallback));
}

/** One item's Options, as an operation uses them (each operation reads the ones it shows). */
export interface ItemOptions {
	timeoutMs: number;
	maxRetries: number;
	includeInputFields: boolean;
	includeRaw: boolean;
	includeRefreshToken: boolean;
	duplicateTokens: 'fail' | 'skip';
	verificationWindowMs: number;
	ifAlreadyCaptured: 'fail' | 'output';
	checkBeforeCapture: boolean;
}

export function readOptions(ctx: IExecuteFunctions, itemIndex: number): ItemOptions {
	const options = rawOptions(ctx, itemIndex);
	return {
		timeoutMs: bounded(options, 'timeout'),
		maxRetries: Math.floor(bounded(options, 'maxRetries')),
		includeInputFields: options.includeInputFields === true,
		includeRaw: options.includeRaw === true,
		includeRefreshToken: options.includeRefreshToken === true,
		duplicateTokens: options.duplicateTokens === 'skip' ? 'skip' : 'fail',
		verificationWindowMs: bounded(options, 'verificationWindow'),
		ifAlreadyCaptured: options.ifAlreadyCaptured === 'output' ? 'output' : 'fail',
		// An AI agent may repeat a tool call: as a tool, the node always checks first.
		checkBeforeCapture: options.checkBeforeCapture === true || ctx.getNode().type.endsWith('Tool'),
	};
}

/** How many items may be in flight at once: read once per run, from the first item's Options. */
export function readConcurrency(ctx: IExecuteFunctions): number {
	return Math.floor(bounded(rawOptions(ctx, 0), 'concurrency'));
}
