import { CATEGORIES, profileBreakdown, type CallFrame, type CpuProfile } from '../../scripts/bench/profileBreakdown';

/*
 * A small profile of an `n8n execute` run, shaped as `node --cpu-prof` writes it: a call tree
 * (nodes), the tree node of each sample and the microseconds between samples.
 */
const PACKAGE = 'file:///tmp/letpay-n8n-2.41.1-x/.n8n/nodes/node_modules/n8n-nodes-letpay/dist';
const CLIENT = `${PACKAGE}/nodes/Letpay/transport/letpayClient.js`;
const N8N = 'file:///cache/n8n-2.41.1/node_modules';

const frame = (functionName: string, url = ''): CallFrame => ({ functionName, url });
const TREE: Array<[id: number, parent: number | undefined, CallFrame]> = [
	[1, undefined, frame('(root)')],
	[2, 1, frame('(program)')],
	[3, 1, frame('(idle)')],
	[4, 1, frame('(garbage collector)')],
	[5, 1, frame('', CLIENT)], // n8n loading the package at start: top-level code of the client
	[6, 1, frame('processTicksAndRejections', 'node:internal/process/task_queues')],
	[7, 6, frame('send', CLIENT)],
	[8, 7, frame('exchange', CLIENT)],
	[9, 8, frame('request', `${N8N}/axios/lib/core/Axios.js`)],
	[10, 9, frame('write', 'node:net')],
	[11, 6, frame('execute', `${PACKAGE}/nodes/Letpay/Letpay.node.js`)],
	[12, 11, frame('getNodeParameter', `${N8N}/n8n-core/dist/execution-engine/node-execution-context/node-execution-context.js`)],
	[13, 12, frame('evaluate', `${N8N}/@n8n/expression-runtime/dist/index.js`)],
	[14, 6, frame('emit', 'node:events')],
	[15, 1, frame('send', 'node:internal/child_process')], // a `send` of another file
];

/** Samples as [tree node, microseconds until the next sample]. */
function profileOf(samples: Array<[id: number, durationUs: number]>): CpuProfile {
	const startTime = 1_000_000;
	return {
		nodes: TREE.map(([id, , callFrame]) => ({ id, callFrame, children: TREE.filter(([, parent]) => parent === id).map(([child]) => child) })),
		startTime,
		endTime: startTime + samples.reduce((sum, [, us]) => sum + us, 0),
		samples: samples.map(([id]) => id),
		timeDeltas: samples.map((_sample, index) => (index === 0 ? 0 : samples[index - 1][1])),
	};
}

const msOf = (breakdown: ReturnType<typeof profileBreakdown>) => Object.fromEntries(breakdown!.categories.map(({ name, ms }) => [name, ms]));

describe('profileBreakdown', () => {
	it('sums the capture window by category, from the first to the last sample in exchange or send', () => {
		const breakdown = profileBreakdown(
			profileOf([
				[5, 5000], // module evaluation of letpayClient: before the window
				[15, 1000],
				[2, 1000],
				[7, 2000], // first sample in send: the window opens
				[3, 10_000],
				[10, 3000],
				[13, 4000],
				[4, 1500],
				[14, 500],
				[9, 2500], // last sample under exchange: the window closes after it
				[3, 7000],
				[5, 800],
			]),
		);
		expect(breakdown?.windowMs).toBeCloseTo(23.5);
		expect(msOf(breakdown)).toEqual({
			[CATEGORIES.idle]: 10,
			[CATEGORIES.gc]: 1.5,
			[CATEGORIES.expressions]: 4,
			[CATEGORIES.http]: 5.5,
			[CATEGORIES.letpay]: 2,
			[CATEGORIES.other]: 0.5,
		});
		expect(breakdown!.categories.find(({ name }) => name === CATEGORIES.idle)?.share).toBeCloseTo(10 / 23.5);
		expect(breakdown!.categories.reduce((sum, { share }) => sum + share, 0)).toBeCloseTo(1);
	});

	it('opens no window for the client module being evaluated, nor for a send of another file', () => {
		expect(profileBreakdown(profileOf([[5, 4000], [15, 1000], [2, 1000], [3, 5000], [5, 200]]))).toBeUndefined();
	});

	it('counts the last sample of the profile until endTime', () => {
		const breakdown = profileBreakdown(profileOf([[2, 1000], [8, 3000], [10, 1200]]));
		expect(breakdown?.windowMs).toBeCloseTo(4.2);
		expect(msOf(breakdown)[CATEGORIES.http]).toBeCloseTo(1.2);
		expect(msOf(breakdown)[CATEGORIES.letpay]).toBeCloseTo(3);
	});
});
