/**
 * The bench's settings (the knobs documented at the top of bench/run.mjs), the phases chosen
 * with BENCH_PHASES, and the budgets the table judges against.
 */
import { join } from 'node:path';

import { fatal, intEnv } from './harness.mjs';

/** Every phase, in the order they run (one file each in bench/phases/). */
export const ORDER = [
  'portal',
  'ceiling',
  'forgot',
  'timing',
  'reset',
  'delivery',
  'flood',
  'followup',
];

/** The phases BENCH_PHASES names (all but followup by default), in ORDER; exits on a typo. */
export function choosePhases() {
  const fallback = ORDER.filter((p) => p !== 'followup');
  const chosen = (process.env.BENCH_PHASES ?? fallback.join(','))
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of chosen)
    if (!ORDER.includes(p)) fatal(`BENCH_PHASES: unknown phase "${p}" (${ORDER.join(', ')})`);
  return { chosen, phases: ORDER.filter((p) => chosen.includes(p)) };
}

export function benchSettings(benchDir) {
  return {
    connections: 32,
    warmupSeconds: 2,
    /** Before a system's first forgot run: its process and database are fresh. */
    firstWarmupSeconds: 5,
    ceilingRounds: 1,
    ceilingSeconds: 3,
    // Three, as the issue's own outside measurement: a median the host's noise (±15 % on one
    // round's CPU per request, either system) moves less than the mean of two.
    forgotRounds: intEnv('BENCH_ROUNDS', 3, 1, 10),
    forgotSeconds: intEnv('BENCH_DURATION_SECONDS', 4, 1, 60),
    /** Known addresses seeded per system and round: one per request, so each means an email. */
    knownPool: { ours: 50_000, 'better-auth': 10_000 },
    timingSamples: intEnv('BENCH_TIMING_SAMPLES', 600, 50, 5000),
    timingWarmup: 100,
    timingPauseMs: 7,
    resets: 20,
    steadyRate: 50,
    steadySeconds: 5,
    followupTrials: intEnv('BENCH_FOLLOWUP_TRIALS', 300, 20, 2000),
    followupModes: (process.env.BENCH_FOLLOWUP_MODES ?? 'production,development').split(','),
    followupProbes: 25,
    followupPauseMs: 50,
    clientIps: intEnv('BENCH_CLIENT_IPS', 4096, 1, 65536),
    bcryptCost: intEnv('BCRYPT_COST', 12, 10, 15),
    drainTimeoutMs: 120_000,
    watchdogMs: 20 * 60_000,
    cpuProfileDir: process.env.BENCH_CPU_PROF === '1' ? join(benchDir, 'profiles') : null,
    peer: process.env.BENCH_PEER !== '0',
  };
}

export const BUDGET = {
  forgotVsPeer: 10,
  forgotP99Ms: 25,
  thresholdAccuracy: 0.55,
  followupAccuracy: 0.55,
  resetVsHash: 1.15,
  emailsPerSecond: 500,
  floodInboxP95Ms: 5000,
  floodDrainMs: 60_000,
  rssMb: 200,
  portalKb: 120,
};
