/**
 * Phase `timing`: can one request's latency tell a known address from an unknown one? For
 * each system, one request at a time on one keep-alive connection, known and unknown
 * addresses of the same length in a seeded random order with a short pause between requests
 * (so the work a known address causes afterwards can run). The figure is the accuracy of the
 * best single threshold on the latency (50 % = indistinguishable), next to what shuffled
 * labels reach by chance (the 95th percentile of 200 relabellings).
 */
import { sleep } from '../lib/harness.mjs';
import { address, keepAliveClient } from '../lib/load.mjs';
import { settle } from '../lib/sink.mjs';
import {
  accuracyVerdict,
  bestThresholdAccuracy,
  permutationChance,
  shuffle,
  stats,
} from '../lib/stats.mjs';

export async function run({ systems, settings: S, results, log, sink }) {
  results.phases.timing = {};
  for (const sys of systems) {
    const n = S.timingSamples;
    const tag = sys.name === 'ours' ? 'o' : 'p';
    await sys.drain(`before ${sys.name} timing`, S.drainTimeoutMs);
    const known = await sys.seed(`t${tag}kn`, n + S.timingWarmup);
    const unknown = (i) => address(`t${tag}un`, i);
    const client = keepAliveClient(sys.baseUrl, 1);
    try {
      for (let i = 0; i < S.timingWarmup; i++) {
        await client.post(sys.forgotPath, sys.forgotBody(i % 2 ? known(n + i) : unknown(n + i)));
        await sleep(S.timingPauseMs);
      }
      await sys.drain(`after ${sys.name} timing warm-up`, S.drainTimeoutMs);
      const order = shuffle([...Array(n).fill(true), ...Array(n).fill(false)], 0x5eed);
      const times = { known: [], unknown: [] };
      let ki = 0;
      let ui = 0;
      let bad = 0;
      for (const isKnown of order) {
        const email = isKnown ? known(ki++) : unknown(ui++);
        const { status, ms } = await client.post(sys.forgotPath, sys.forgotBody(email));
        if (status !== sys.forgotStatus) bad++;
        (isKnown ? times.known : times.unknown).push(ms);
        await sleep(S.timingPauseMs);
      }
      const k = stats(times.known);
      const u = stats(times.unknown);
      const r = {
        samplesEach: n,
        pauseMs: S.timingPauseMs,
        bad,
        known: k,
        unknown: u,
        deltaMedianMs: Math.abs(k.p50 - u.p50),
        bestThresholdAccuracy: bestThresholdAccuracy(times.known, times.unknown),
        chanceAccuracy95: permutationChance(times.known, times.unknown, 200),
      };
      results.phases.timing[sys.name] = r;
      log(
        'timing',
        `${sys.name}: known p50 ${k.p50.toFixed(2)} ms, unknown p50 ${u.p50.toFixed(2)} ms, best threshold ` +
          `${(100 * r.bestThresholdAccuracy).toFixed(1)} % (shuffled labels reach ${(100 * r.chanceAccuracy95).toFixed(1)} %)` +
          (bad ? `, ${bad} unexpected statuses` : ''),
      );
    } finally {
      client.close();
    }
    await sys.drain(`after ${sys.name} timing`, S.drainTimeoutMs);
    if (sys.name !== 'ours') await settle(sink);
  }
}

export function rows({ timing }, budget) {
  if (!timing) return [];
  return Object.entries(timing).map(([name, t]) => {
    const ours = name === 'ours';
    const verdict = accuracyVerdict(
      t.bestThresholdAccuracy,
      t.chanceAccuracy95,
      budget.thresholdAccuracy,
    );
    return {
      name: `known/unknown best guess, ${name}`,
      value: t.bestThresholdAccuracy,
      display:
        `${(100 * t.bestThresholdAccuracy).toFixed(1)} % (chance ≤ ${(100 * t.chanceAccuracy95).toFixed(1)} %; ` +
        `Δ median ${t.deltaMedianMs.toFixed(2)} ms; ${t.samplesEach} each${ours && verdict === null ? '; too few to judge the budget' : ''})`,
      budget: ours ? `≤ ${Math.round(100 * budget.thresholdAccuracy)} % (vs chance)` : '(peer)',
      pass: ours ? (t.bad === 0 ? verdict : false) : undefined,
    };
  });
}
