/**
 * Phase `ceiling`: the trivial route of each system at 32 connections, alternating (ours,
 * peer, ours, peer): our `GET /api/health/live`, better-auth's `GET /api/auth/ok`. What the
 * shared plumbing (HTTP server, framework, load generator) allows; information only.
 */
import { cannon, fmtCannon } from '../lib/load.mjs';
import { median } from '../lib/stats.mjs';

export async function run({ systems, settings: S, results, log }) {
  const runs = [];
  for (let round = 0; round < S.ceilingRounds; round++) {
    for (const sys of systems) {
      const r = await cannon({
        url: sys.baseUrl,
        path: sys.livePath,
        connections: S.connections,
        seconds: S.ceilingSeconds,
        warmup: S.warmupSeconds,
      });
      runs.push({ system: sys.name, round, ...r });
      log('ceiling', `${sys.name} ${sys.livePath}: ${fmtCannon(r)}`);
    }
  }
  const bySystem = {};
  for (const sys of systems) {
    const mine = runs.filter((r) => r.system === sys.name);
    bySystem[sys.name] = { path: sys.livePath, rps: median(mine.map((r) => r.rps)), runs: mine };
  }
  results.phases.ceiling = bySystem;
}

export function rows({ ceiling }) {
  if (!ceiling) return [];
  const ours = ceiling.ours?.rps;
  return Object.entries(ceiling).map(([name, c]) => ({
    name: `ceiling ${name} (${c.path})`,
    value: c.rps,
    display:
      `${c.rps.toFixed(0)} req/s, p99 ${Math.max(...c.runs.map((r) => r.p99))} ms` +
      (name !== 'ours' && ours ? `; ours / ${name} = ${(ours / c.rps).toFixed(1)} ×` : ''),
    budget: '(information)',
    pass: undefined,
  }));
}
