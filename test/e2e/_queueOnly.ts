import { buildAndPack } from '../../scripts/lib/pack';
import { ensureN8n } from '../../scripts/lib/runtimes';
import { queueModeChecks } from './queueMode';
(async () => {
  const started = Date.now();
  const checks = await queueModeChecks(await ensureN8n('v2'), await buildAndPack());
  for (const c of checks) { try { await c.run(); console.log('PASS', c.name); } catch (e) { console.log('FAIL', c.name, (e as Error).message); } }
  console.log('seconds', (Date.now() - started) / 1000);
  process.exit(0);
})();
