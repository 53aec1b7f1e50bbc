import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_API_KEY } from '../../test/letpayEmulator';
import { createCredentials, runCaptureWorkflow } from '../../test/helpers/runWorkflow';
import { registerNodeType } from '../../test/helpers/nodeTypes';
import { BARE_HELPER_NODE_TYPE, BareHelperCapture } from './bareHelper';
import { withPooledAgents } from './pooledAgents';
import { captureWithFetch, fetchAccessToken } from './rawClient';
import type { RemoteEmulator } from './remoteEmulator';

/*
 * One question, asked in this process over HTTP and HTTPS: how far is the Letpay node from the
 * floor a community node can reach (a bare loop of n8n's request helper), from a raw keep-alive
 * client, and from what it would be if n8n pooled its agents? Contenders take turns round by
 * round so that drift on a shared machine spreads over all of them; medians are reported.
 */
export const CONTENDERS = [
	'raw fetch (keep-alive)',
	'bare n8n helper loop',
	'Letpay node',
	'Letpay node, n8n agents pooled (ceiling)',
] as const;
export type Contender = (typeof CONTENDERS)[number];

export interface Sample {
	seconds: number;
	cpuMsPerItem: number;
	connectionsOpened: number;
	/** Client connections still open a moment after the run: idle sockets nobody will reuse. */
	leftOpen: number;
}

registerNodeType(BARE_HELPER_NODE_TYPE, new BareHelperCapture());

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

async function inEngine(emulator: RemoteEmulator, nodeType: string | undefined, orders: IDataObject[], concurrency: number) {
	const credentials = createCredentials();
	credentials.store('letpayApi', { environment: 'custom', baseUrl: emulator.url, ...DEFAULT_API_KEY });
	const parameters = nodeType ? { concurrency } : { options: { concurrency } };
	const result = await runCaptureWorkflow({ orders, nodeType, parameters, onError: 'continueErrorOutput' }, credentials);
	if (result.success.length !== orders.length) {
		throw new Error(`${nodeType ?? 'Letpay node'}: ${result.success.length}/${orders.length} captured; first failure ${JSON.stringify(result.failed[0]?.json ?? result.error?.message)}`);
	}
	const [capture] = result.run.data.resultData.runData.Letpay;
	return (capture.executionTime ?? 0) / 1000;
}

async function runOnce(emulator: RemoteEmulator, contender: Contender, size: number, concurrency: number, tag: string): Promise<Sample> {
	await emulator.forgetPayments();
	const paymentTokens = Array.from({ length: size }, (_v, index) => `floor-${tag}-${index}`);
	await emulator.preAuthorize(paymentTokens, '100.00');
	const orders = paymentTokens.map((paymentToken) => ({ paymentToken, amount: 12.34 }));
	global.gc?.();
	const cpuBefore = process.cpuUsage();
	let seconds: number;
	if (contender === 'raw fetch (keep-alive)') {
		const token = await fetchAccessToken(emulator.url, DEFAULT_API_KEY.apiKey, DEFAULT_API_KEY.apiSecret);
		seconds = await captureWithFetch(emulator.url, token, orders, concurrency);
	} else if (contender === 'bare n8n helper loop') {
		seconds = await inEngine(emulator, BARE_HELPER_NODE_TYPE, orders, concurrency);
	} else if (contender === 'Letpay node') {
		seconds = await inEngine(emulator, undefined, orders, concurrency);
	} else {
		seconds = await withPooledAgents(() => inEngine(emulator, undefined, orders, concurrency));
	}
	const cpu = process.cpuUsage(cpuBefore);
	await settle();
	const counters = await emulator.counters();
	if (counters.captures !== size || counters.distinctCapturedTokens !== size) {
		throw new Error(`${contender}: the emulator saw ${counters.captures} captures of ${counters.distinctCapturedTokens} payments, expected ${size}`);
	}
	return {
		seconds,
		cpuMsPerItem: (cpu.user + cpu.system) / 1000 / size,
		connectionsOpened: counters.connectionsOpened,
		leftOpen: counters.openConnections,
	};
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export type Medians = Record<Contender, Sample>;

export async function floorAndCeiling(
	emulator: RemoteEmulator,
	options: { size: number; concurrency: number; rounds: number; progress: (text: string) => void },
): Promise<Medians> {
	const samples = new Map<Contender, Sample[]>(CONTENDERS.map((contender) => [contender, []]));
	// Round 0 warms up every path (JIT, first sign-in) and is not counted.
	for (let round = 0; round <= options.rounds; round++) {
		options.progress(`${emulator.url.split(':')[0].toUpperCase()} round ${round}/${options.rounds}${round === 0 ? ' (warm-up)' : ''}`);
		for (const contender of CONTENDERS) {
			const sample = await runOnce(emulator, contender, options.size, options.concurrency, `${round}-${CONTENDERS.indexOf(contender)}`);
			if (round > 0) samples.get(contender)!.push(sample);
		}
	}
	const pick = (list: Sample[], key: keyof Sample) => median(list.map((sample) => sample[key]));
	return Object.fromEntries(
		[...samples].map(([contender, list]) => [
			contender,
			{
				seconds: pick(list, 'seconds'),
				cpuMsPerItem: pick(list, 'cpuMsPerItem'),
				connectionsOpened: pick(list, 'connectionsOpened'),
				leftOpen: pick(list, 'leftOpen'),
			},
		]),
	) as Medians;
}
