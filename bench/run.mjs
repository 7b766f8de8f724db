#!/usr/bin/env node
/**
 * `npm run bench`: builds the production API and portal, starts our system as production
 * runs it (an API process and a worker process on a fresh PostgreSQL database) and the peer
 * (better-auth, bench/peers/better-auth, installed on first use) on a database of its own on
 * the same server, both sending email to one in-process SMTP sink, measures them side by side,
 * prints one table with the budgets (PASS/FAIL) and writes bench/results.json. A measurement,
 * not a test: it exits 0 when a budget fails, and 1 only when it could not measure.
 *
 * Phases (one file each in bench/phases/, run in this order):
 *   portal    the portal's initial JS (gzip)
 *   ceiling   each system's trivial route at 32 connections (information)
 *   forgot    reset requests for unknown, then known addresses at 32 connections, ours and
 *             the peer alternating, BENCH_ROUNDS rounds; our queue's drains give the
 *             delivery rate
 *   timing    known vs unknown address, one request at a time: best single threshold
 *   reset     reset completion vs the hashing each system must do
 *   delivery  request→inbox at a steady 50/s (ours)
 *   flood     a minute's forgot-password flood of unknown addresses from many client
 *             addresses, production limits, a person asking every 2 s: their request→inbox
 *             time and the backlog's drain (stops our bench processes, starts its own)
 *   followup  opt-in (BENCH_PHASES=followup): do the requests after a forgot-password tell
 *             known from unknown? Its own API processes, ~2 min per 100 trials and mode
 * A phase module exports `run(ctx)` (ctx: settings, results, log, note, sink, ours, peer,
 * systems, root, testing, cpuSnapshot) storing its figures in results.phases (one that
 * starts processes of its own returns { cpu, cpuWindow }: where the cores went, which the
 * bench's accounting cannot see), and `rows(phases, budget)` giving its table rows
 * ({ name, value, display, budget, pass }).
 * `needsSystems = false` marks a phase that runs without starting the systems.
 *
 * Knobs (environment, all optional):
 *   DATABASE_URL              PostgreSQL server on 127.0.0.1 to create the bench's databases
 *                             on (dropped afterwards); otherwise an embedded PostgreSQL
 *   BENCH_PHASES=a,b          subset of the phases above (default: all but followup)
 *   BENCH_SKIP_BUILD=1        measure the existing dist/ (default: build first)
 *   BENCH_PEER=0              without the peer (ours only; no ratios)
 *   BENCH_ROUNDS              rounds of the forgot phase per system (default 3)
 *   BENCH_DURATION_SECONDS    measured seconds per forgot run for unknown addresses (default
 *                             4, after a warm-up of 5 s in the first round, 2 s later); runs
 *                             for known ones 1 s shorter (each request is an email to drain),
 *                             after a 1 s warm-up
 *   BENCH_TIMING_SAMPLES      requests per class in the timing phase (default 600)
 *   BENCH_CLIENT_IPS          client addresses requests rotate over via X-Forwarded-For
 *                             (default 4096; 1 = everything from one address)
 *   BENCH_FLOOD_SECONDS       the flood's length (default 60); BENCH_FLOOD_CONNECTIONS (128);
 *                             BENCH_FLOOD_DRAIN_SECONDS, the longest wait for the backlog (120)
 *   BENCH_FOLLOWUP_TRIALS     trials per class and mode in followup (default 300)
 *   BENCH_FOLLOWUP_MODES      production,development (default both)
 *   BCRYPT_COST               our API's cost and the reference hash's (default 12)
 *   BENCH_CPU_PROF=1          our processes run with --cpu-prof into bench/profiles/
 *                             (summarise with `node bench/profile-summary.mjs FILE`)
 *   BENCH_API_<NAME>=value    passed to our processes as <NAME>=value
 *
 * results.json: machine, settings, phases (every figure, per run and round), cpu (cores
 * used per phase by each process, PostgreSQL, the bench and other processes), memory,
 * budgets (the table's rows), notes, durationSeconds.
 *
 * Each phase logs where the CPU went; "other processes" near 0 means a quiet machine. All
 * traffic goes to 127.0.0.1; everything started is stopped on success, error and Ctrl-C.
 */
import { existsSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { cpuUse, fmtCpu, machineInfo } from './lib/cpu.mjs';
import {
  cleanup,
  elapsedSeconds,
  installExitHandlers,
  isInterrupted,
  log,
  onExit,
} from './lib/harness.mjs';
import { setClientIps } from './lib/load.mjs';
import { build } from './lib/ours.mjs';
import { benchSettings, BUDGET, choosePhases } from './lib/settings.mjs';
import { reportSystems, startSystems, systemsMemory } from './lib/systems.mjs';
import { printTable, tableRows } from './lib/table.mjs';
import { testing } from './lib/testing.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const PEER_DIR = join(BENCH_DIR, 'peers/better-auth');

const { chosen, phases: PHASES } = choosePhases();
const S = benchSettings(BENCH_DIR);
setClientIps(S.clientIps);

const results = {
  startedAt: new Date().toISOString(),
  machine: machineInfo(ROOT),
  settings: { ...S, phases: PHASES },
  phases: {},
  cpu: {},
  budgets: [],
  notes: [],
};
const note = (text) => results.notes.push(text);

installExitHandlers();
onExit(() => {
  try {
    rmdirSync(join(BENCH_DIR, '.run'));
  } catch {
    // not empty (another run) or not there
  }
});
main().then(
  (code) => process.exit(code),
  (error) => {
    if (!isInterrupted()) console.error(`bench failed: ${error.stack ?? error}`);
    cleanup().finally(() => process.exit(isInterrupted() ? 130 : 1));
  },
);

async function main() {
  setTimeout(() => {
    console.error(`bench: watchdog fired after ${S.watchdogMs / 1000} s; cleaning up`);
    cleanup().finally(() => process.exit(1));
  }, S.watchdogMs).unref();
  const m = results.machine;
  console.log(
    `machine: ${m.cores} cores · ${m.cpu} · ${m.memoryGb} GB · Node ${m.node} · ${m.platform} · load ${m.loadavgAtStart}` +
      (m.source
        ? ` · source ${m.source.commit}${m.source.uncommittedFiles ? ` + ${m.source.uncommittedFiles} uncommitted file(s)` : ''}`
        : ''),
  );
  if (Number(m.loadavgAtStart.split(' ')[0]) > m.cores)
    note(
      `the machine was busy at the start (load ${m.loadavgAtStart}): compare the per-phase CPU lines`,
    );

  const modules = {};
  for (const name of PHASES) {
    const file = join(BENCH_DIR, 'phases', `${name}.mjs`);
    if (!existsSync(file)) {
      if (chosen.includes(name) && process.env.BENCH_PHASES)
        throw new Error(`phase ${name}: ${file} is missing`);
      note(`phase ${name}: bench/phases/${name}.mjs is not on this branch; skipped`);
      continue;
    }
    modules[name] = await import(pathToFileURL(file).href);
  }

  if (process.env.BENCH_SKIP_BUILD === '1')
    log('build', 'skipped (BENCH_SKIP_BUILD=1): measuring the existing dist/');
  else results.buildSeconds = await build(ROOT);

  const ctx = { root: ROOT, testing, settings: S, results, log, note, systems: [] };
  // Right after the build, before anyone else's build can replace dist/.
  for (const [name, mod] of Object.entries(modules))
    if (mod.needsSystems === false) await phase(name, mod, ctx);

  const measured = Object.entries(modules).filter(([, mod]) => mod.needsSystems !== false);
  if (measured.length > 0) {
    await startSystems(ctx, { benchDir: BENCH_DIR, peerDir: PEER_DIR });
    const timeline = [{ after: 'start', ...systemsMemory(ctx) }];
    for (const [name, mod] of measured) {
      await phase(name, mod, ctx);
      if (!mod.stopsSystems) timeline.push({ after: name, ...systemsMemory(ctx) });
    }
    reportSystems(ctx, timeline);
  }
  await cleanup();
  if (S.cpuProfileDir) log('profile', `CPU profile(s) in ${S.cpuProfileDir}`);

  results.durationSeconds = elapsedSeconds();
  results.budgets = tableRows(modules, results, BUDGET);
  printTable(results, S);
  writeFileSync(join(BENCH_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults: bench/results.json · whole run ${results.durationSeconds.toFixed(0)} s`);
  return 0;
}

async function phase(name, mod, ctx) {
  const t0 = elapsedSeconds();
  log(name, 'start');
  const before = ctx.cpuSnapshot?.();
  const own = await mod.run(ctx);
  let cpu = '';
  if (before) {
    // A phase that stops our processes and starts its own measures their CPU itself (`run`
    // returns { cpu, cpuWindow }): here they are unknown, would read as "other processes", and
    // ours, stopped, as 0.
    const use = own?.cpu ?? cpuUse(before, ctx.cpuSnapshot());
    results.cpu[name] = use;
    cpu = ` · ${own?.cpuWindow ? `${own.cpuWindow}, ` : ''}${fmtCpu(use)}`;
    if (use.other > 0.25 * use.cores && (own?.cpu || !mod.stopsSystems))
      note(
        `${name}: other processes used ${use.other.toFixed(2)} of ${use.cores} cores; its figures are pessimistic`,
      );
  }
  log(name, `done in ${(elapsedSeconds() - t0).toFixed(1)} s${cpu}`);
}
