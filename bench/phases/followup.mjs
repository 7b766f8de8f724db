/**
 * Phase `followup` (opt-in): can the requests that FOLLOW a forgot-password tell whether the
 * address has an account? The request itself is uniform (phase `timing`), but a known address
 * makes the machine work afterwards (lookup, token, template, SMTP, the sink), and an attacker
 * sharing the cores with that work sees it as slower answers.
 *
 * One trial: one forgot-password for a known or an unknown address, then at once `probes`
 * cheap requests (GET /api/health/live) on the same keep-alive connection; the trial's figure
 * is the sum of their latencies. Trials come in a seeded random order, each from a quiet
 * system (queue empty, then a pause); the result is the best single threshold's accuracy on
 * that figure, next to what shuffled labels reach. Two starts: production (an API and a worker
 * process, the bench's sink) and development (one process doing both, NODE_ENV=development,
 * pretty logs, maildev as the catcher, as `npm start` runs them; reported only).
 *
 * Our main processes are stopped first (they would claim the jobs), so this phase runs last.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { cpuSnapshot, cpuUse, fmtCpu } from '../lib/cpu.mjs';
import { onExit, sleep } from '../lib/harness.mjs';
import { address, keepAliveClient } from '../lib/load.mjs';
import {
  accuracyVerdict,
  bestThresholdAccuracy,
  permutationChance,
  shuffle,
  stats,
} from '../lib/stats.mjs';

const PROBE = '/api/health/live';

/** Our bench processes are stopped here: it starts its own. */
export const stopsSystems = true;

export async function run({ ours, settings: S, results, log, root, testing }) {
  await ours.api.stop('SIGTERM', 12_000);
  await ours.worker.stop('SIGTERM', 12_000);
  const modes = {
    production: async () => {
      const api = await ours.startProcess('api');
      const worker = await ours.startProcess('worker');
      return {
        api,
        pids: { 'probe API': api.pid, 'probe worker': worker.pid },
        stop: () => Promise.all([api.stop('SIGTERM', 12_000), worker.stop('SIGTERM', 12_000)]),
      };
    },
    development: async () => {
      const catcher = await startMaildev(root, testing);
      const api = await ours.startProcess('all', {
        NODE_ENV: 'development',
        LOG_FORMAT: 'pretty',
        LOG_LEVEL: 'info',
        SMTP_URL: catcher.url,
      });
      return {
        api,
        pids: { 'probe process': api.pid },
        stop: () => api.stop('SIGTERM', 12_000).finally(() => catcher.stop()),
      };
    },
  };
  results.phases.followup = {};
  // The bench's accounting knows only the processes this phase stopped: each mode's own are
  // read here, so the phase's CPU line is theirs (the production start's, the one judged).
  let judged;
  for (const [mode, start] of Object.entries(modes)) {
    if (!S.followupModes.includes(mode)) continue;
    const prefix = mode === 'production' ? 'prbp' : 'prbd';
    const known = await ours.seed(prefix, S.followupTrials + 10);
    const running = await start();
    const cpuNow = () => cpuSnapshot(running.pids, [ours.databaseName]);
    const cpuBefore = cpuNow();
    try {
      const r = await probe({
        baseUrl: running.api.baseUrl,
        forgotPath: ours.forgotPath,
        trials: S.followupTrials,
        probes: S.followupProbes,
        known,
        unknown: (i) => address(`${prefix[0]}nobd`, i),
        backlog: ours.backlog,
        pauseMs: S.followupPauseMs,
      });
      const cpu = cpuUse(cpuBefore, cpuNow());
      results.phases.followup[mode] = { ...r, cpu };
      if (mode === 'production' || !judged)
        judged = { cpu, cpuWindow: `while the ${mode} probe ran` };
      log('followup', `${mode}: ${fmtCpu(cpu)}`);
      log(
        'followup',
        `${mode}: ${r.probesPerTrial} probes after each of ${2 * r.trialsEach} requests; sum known p50 ${r.knownSumMs.p50.toFixed(2)} ms, ` +
          `unknown p50 ${r.unknownSumMs.p50.toFixed(2)} ms; best threshold ${(100 * r.bestThresholdAccuracy).toFixed(1)} % ` +
          `(shuffled labels reach ${(100 * r.chanceAccuracy95).toFixed(1)} %)` +
          (r.bad || r.unsettled
            ? `; ${r.bad} unexpected statuses, ${r.unsettled} trials whose jobs outlived the wait`
            : ''),
      );
    } finally {
      await running.stop();
    }
  }
  return judged;
}

async function probe(o) {
  const client = keepAliveClient(o.baseUrl, 1);
  const trial = async (email) => {
    const { status } = await client.post(o.forgotPath, { email });
    let probeMs = 0;
    for (let i = 0; i < o.probes; i++) probeMs += (await client.get(PROBE)).ms;
    return { status, probeMs };
  };
  /** Waits until no email job is left, then for the pause; false when the queue did not empty. */
  const settle = async () => {
    const deadline = performance.now() + 10_000;
    let left = await o.backlog();
    while (left > 0 && performance.now() < deadline) {
      await sleep(50);
      left = await o.backlog();
    }
    await sleep(o.pauseMs);
    return left === 0;
  };
  try {
    for (let i = 0; i < 10; i++) {
      await trial(i % 2 ? o.known(o.trials + i) : o.unknown(o.trials + i));
      await settle();
    }
    const order = shuffle([...Array(o.trials).fill(true), ...Array(o.trials).fill(false)], 0xf011);
    const sums = { known: [], unknown: [] };
    let ki = 0;
    let ui = 0;
    let bad = 0;
    let unsettled = 0;
    for (const isKnown of order) {
      const r = await trial(isKnown ? o.known(ki++) : o.unknown(ui++));
      if (r.status !== 202) bad++;
      (isKnown ? sums.known : sums.unknown).push(r.probeMs);
      if (!(await settle())) unsettled++;
    }
    return {
      trialsEach: o.trials,
      probesPerTrial: o.probes,
      bad,
      unsettled,
      knownSumMs: stats(sums.known),
      unknownSumMs: stats(sums.unknown),
      bestThresholdAccuracy: bestThresholdAccuracy(sums.known, sums.unknown),
      chanceAccuracy95: permutationChance(sums.known, sums.unknown, 200),
    };
  } finally {
    client.close();
  }
}

/** maildev as `npm start` runs it: a process of its own that parses and stores every email. */
async function startMaildev(root, testing) {
  const [smtpPort, webPort] = [await testing.freePort(), await testing.freePort()];
  const dir = mkdtempSync(join(os.tmpdir(), 'account-recovery-bench-maildev-'));
  const child = spawn(
    join(root, 'node_modules/.bin/maildev'),
    [
      '--ip',
      '127.0.0.1',
      '--web-ip',
      '127.0.0.1',
      '-s',
      String(smtpPort),
      '-w',
      String(webPort),
      '--mail-directory',
      dir,
    ],
    { cwd: root, stdio: 'ignore' },
  );
  const forget = onExit(() => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${webPort}/api/email`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('maildev did not start');
    await sleep(200);
  }
  return {
    url: `smtp://127.0.0.1:${smtpPort}`,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', resolve),
      );
      rmSync(dir, { recursive: true, force: true });
      forget();
    },
  };
}

export function rows({ followup }, budget) {
  if (!followup) return [];
  return Object.entries(followup).map(([mode, f]) => {
    // Judged like the timing phase: against the budget when the trials could show a breach,
    // and beyond what shuffled labels reach (accuracyVerdict, libs/testing's statistics).
    const verdict = accuracyVerdict(
      f.bestThresholdAccuracy,
      f.chanceAccuracy95,
      budget.followupAccuracy,
    );
    const tooFew = verdict === null ? '; too few trials to judge the budget' : '';
    return {
      name: `follow-up probe (${mode}), ours`,
      value: f.bestThresholdAccuracy,
      display: `${(100 * f.bestThresholdAccuracy).toFixed(1)} % (chance ≤ ${(100 * f.chanceAccuracy95).toFixed(1)} %; ${f.trialsEach} each${mode === 'production' ? tooFew : ''})`,
      budget:
        mode === 'production'
          ? `≤ ${Math.round(100 * budget.followupAccuracy)} % (vs chance)`
          : '(information)',
      pass: mode === 'production' ? verdict : undefined,
    };
  });
}
