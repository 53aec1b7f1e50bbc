/*
 * Loaded with `node --require` into a real n8n 2.x by the bench (never by the package): the same
 * patch as pooledAgents.ts, for a separate n8n process. n8n's callers read buildNodeAgents off the
 * module's exports at each call, so replacing the export pools every agent n8n builds.
 */
const { createRequire } = require('node:module');
const path = require('node:path');

const fromN8n = createRequire(require.resolve('n8n-core', { paths: [process.argv[1]] }));
const agentsModule = fromN8n(path.join(path.dirname(fromN8n.resolve('@n8n/backend-network')), 'http', 'node-agents.js'));
const original = agentsModule.buildNodeAgents;
const pool = new Map();
agentsModule.buildNodeAgents = (proxy, ssrf, agentOptions) => {
	const key = JSON.stringify([proxy, ssrf === 'disabled', agentOptions ?? {}]);
	if (!pool.has(key)) pool.set(key, original(proxy, ssrf, { ...agentOptions, keepAlive: true, maxSockets: 50 }));
	return pool.get(key);
};
