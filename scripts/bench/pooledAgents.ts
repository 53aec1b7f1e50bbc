import { createRequire } from 'node:module';
import path from 'node:path';

/*
 * The ceiling: what the node would cost if n8n reused connections. n8n 2.x builds a new
 * http(s).Agent per request in @n8n/backend-network's buildNodeAgents (http/node-agents.js);
 * its callers read the function off the module's exports at each call, so replacing that export
 * here, in the bench process only, gives every request one keep-alive agent per distinct set of
 * options. The package never does this: community nodes may not touch http/https.
 */
type BuildNodeAgents = (proxy: unknown, ssrf: unknown, agentOptions?: Record<string, unknown>) => unknown;

function nodeAgentsModule(): { buildNodeAgents: BuildNodeAgents } {
	const fromCore = createRequire(require.resolve('n8n-core'));
	const network = fromCore.resolve('@n8n/backend-network');
	return fromCore(path.join(path.dirname(network), 'http', 'node-agents.js'));
}

export async function withPooledAgents<T>(body: () => Promise<T>): Promise<T> {
	const agentsModule = nodeAgentsModule();
	const original = agentsModule.buildNodeAgents;
	const pool = new Map<string, unknown>();
	agentsModule.buildNodeAgents = (proxy, ssrf, agentOptions) => {
		const key = JSON.stringify([proxy, agentOptions ?? {}]);
		if (!pool.has(key)) pool.set(key, original(proxy, ssrf, { ...agentOptions, keepAlive: true, maxSockets: 50 }));
		return pool.get(key);
	};
	try {
		return await body();
	} finally {
		agentsModule.buildNodeAgents = original;
		for (const agents of pool.values()) {
			const { httpAgent, httpsAgent } = agents as { httpAgent: { destroy(): void }; httpsAgent: { destroy(): void } };
			httpAgent.destroy();
			httpsAgent.destroy();
		}
	}
}
