/*
 * Where a real n8n's main thread spends the capture node's time, from a V8 .cpuprofile (what
 * `node --cpu-prof` writes). Pure: the caller reads and parses the file.
 */
export interface CallFrame {
	functionName: string;
	url: string;
}

export interface CpuProfile {
	nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
	startTime: number;
	endTime: number;
	/** Node id of each sample, in order. */
	samples: number[];
	/** Microseconds from the previous sample (the first: from startTime). */
	timeDeltas: number[];
}

export interface Breakdown {
	windowMs: number;
	categories: Array<{ name: string; ms: number; share: number }>;
}

export const CATEGORIES = {
	idle: 'idle (waiting on the network)',
	gc: 'garbage collection',
	expressions: 'expressions (n8n parameter resolution)',
	http: "n8n's HTTP client (axios, agents, sockets)",
	letpay: "Letpay node's own code",
	other: 'other',
} as const;

/** The Letpay client of the installed package; its top-level code (n8n loading it) is not a capture. */
const LETPAY_CLIENT_URL = /n8n-nodes-letpay\/.*\btransport\/letpayClient\.[cm]?[jt]s$/;
const CAPTURE_FUNCTIONS = new Set(['exchange', 'send']);
const EXPRESSION_FUNCTIONS = new Set(['getNodeParameter', 'resolveSimpleParameterValue', 'renderExpression']);
const NODE_HTTP_MODULES = new Set(['node:net', 'node:http', 'node:https', 'node:tls']);

const isCapture = (frame: CallFrame) => CAPTURE_FUNCTIONS.has(frame.functionName) && LETPAY_CLIENT_URL.test(frame.url);
const isExpression = (frame: CallFrame) => EXPRESSION_FUNCTIONS.has(frame.functionName) || frame.url.includes('@n8n/expression-runtime');
const isHttpClient = ({ url }: CallFrame) =>
	url.includes('/node_modules/axios/') ||
	url.includes('@n8n/backend-network') ||
	NODE_HTTP_MODULES.has(url) ||
	url.startsWith('node:_http_') ||
	url.startsWith('node:_tls_');

function categoryOf(stack: CallFrame[]): string {
	const top = stack[0];
	if (top.functionName === '(idle)') return CATEGORIES.idle;
	if (top.functionName === '(garbage collector)') return CATEGORIES.gc;
	if (stack.some(isExpression)) return CATEGORIES.expressions;
	if (stack.some(isHttpClient)) return CATEGORIES.http;
	if (top.url.includes('n8n-nodes-letpay')) return CATEGORIES.letpay;
	return CATEGORIES.other;
}

/**
 * The capture window runs from the first to the last sample with a Letpay client `exchange` or
 * `send` on its stack; its time is split by what each sample's stack was doing. Undefined when
 * the profile has no such sample (another process of the same run).
 */
export function profileBreakdown(profile: CpuProfile): Breakdown | undefined {
	const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
	const parents = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
	const classified = new Map<number, { capturing: boolean; category: string }>();
	const classify = (id: number) => {
		let known = classified.get(id);
		if (!known) {
			const stack: CallFrame[] = [];
			for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) stack.push(frames.get(at)!);
			known = { capturing: stack.some(isCapture), category: categoryOf(stack) };
			classified.set(id, known);
		}
		return known;
	};

	const { samples, timeDeltas } = profile;
	const first = samples.findIndex((id) => classify(id).capturing);
	if (first === -1) return undefined;
	let last = first;
	for (let index = first; index < samples.length; index++) if (classify(samples[index]).capturing) last = index;

	// A sample lasts until the next one; the profile's last one until endTime.
	const lastTimestamp = profile.startTime + timeDeltas.reduce((sum, delta) => sum + delta, 0);
	const durationUs = (index: number) => (index + 1 < samples.length ? timeDeltas[index + 1] : profile.endTime - lastTimestamp);
	const totals = new Map<string, number>(Object.values(CATEGORIES).map((name) => [name, 0]));
	let windowUs = 0;
	for (let index = first; index <= last; index++) {
		const us = durationUs(index);
		windowUs += us;
		const { category } = classify(samples[index]);
		totals.set(category, totals.get(category)! + us);
	}
	return {
		windowMs: windowUs / 1000,
		categories: [...totals].map(([name, us]) => ({ name, ms: us / 1000, share: windowUs > 0 ? us / windowUs : 0 })),
	};
}
