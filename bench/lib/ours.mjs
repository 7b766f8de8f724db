/**
 * Our system as production runs it (docs/architecture.md, "Runtime parts"): the built API as
 * an API process and a worker process (PROCESS_ROLE=api / worker) on a fresh database, with
 * the production runtime settings of `npm run start:prod`. Also the build, the migration, the
 * seeding of users and the email queue's backlog.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { log, onCleanup, onExit, sleep } from './harness.mjs';
import { address } from './load.mjs';

const require = createRequire(import.meta.url);
const pg = require('pg');

export const PORTAL_URL = 'https://bench.test';
const QUEUE = 'account-email';

/** Runs a command in the workspace, collecting its output; rejects after `timeoutMs`. */
export function run(root, command, args, { env, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = onExit(() => child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      kill();
      resolve({ code, output });
    });
  });
}

/** `nx run-many -t build -p api portal` (production configurations). */
export async function build(root) {
  const t0 = performance.now();
  log('build', 'npx nx run-many -t build -p api portal (production)');
  const { code, output } = await run(
    root,
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
      timeoutMs: 5 * 60_000,
    },
  );
  if (code !== 0) {
    console.error(output.split('\n').slice(-60).join('\n'));
    throw new Error(`build failed (exit ${code})`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cached = /read the output from the cache|existing outputs match the cache/i.test(output);
  log(
    'build',
    `ok in ${seconds.toFixed(1)} s${cached ? ' (Nx cache used where inputs were unchanged)' : ''}`,
  );
  return seconds;
}

/** A client whose connection ending under it (server stopped at shutdown) is not a crash. */
export async function pgClient(connectionString) {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/**
 * Starts our system on `databaseUrl` (migrated here): an API process and a worker process
 * of a private copy of dist/apps/api (another build during the run cannot pull templates
 * from under them).
 */
export async function startOurs({
  testing,
  root,
  benchDir,
  databaseUrl,
  smtpUrl,
  settings,
  apiEnv,
}) {
  const apiDir = join(benchDir, '.run', `api-${process.pid}`);
  if (!existsSync(join(root, 'dist/apps/api/main.js')))
    throw new Error('dist/apps/api/main.js is missing: build first');
  cpSync(join(root, 'dist/apps/api'), apiDir, { recursive: true });
  onExit(() => rmSync(apiDir, { recursive: true, force: true }));
  onCleanup('API bundle copy', () => rmSync(apiDir, { recursive: true, force: true }));

  const migrated = await run(root, process.execPath, [join(apiDir, 'cli.js'), 'migrate'], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATABASE_URL: databaseUrl },
    timeoutMs: 60_000,
  });
  if (migrated.code !== 0) {
    console.error(migrated.output);
    throw new Error(`migrate failed (exit ${migrated.code})`);
  }
  log('ours', 'database migrated (cli.js migrate of the built API)');

  const env = {
    NODE_ENV: 'production',
    SMTP_URL: smtpUrl,
    PORTAL_URL,
    // One run, one secret set: the API process and the worker process must agree on them.
    JWT_SECRET: randomBytes(32).toString('hex'),
    PASSWORD_PEPPER: randomBytes(32).toString('hex'),
    MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    BCRYPT_COST: String(settings.bcryptCost),
    // The config validator caps these at 1,000,000 per minute; far above what one client reaches.
    RATE_LIMIT_FORGOT_PER_MINUTE: '1000000',
    RATE_LIMIT_VALIDATE_PER_MINUTE: '1000000',
    RATE_LIMIT_RESET_PER_MINUTE: '1000000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
    // Behind a load balancer: the client address comes from X-Forwarded-For (load.mjs clientIp).
    TRUST_PROXY: '127.0.0.1',
    // The production runtime settings of `npm run start:prod` and docker/api.Dockerfile.
    NODE_OPTIONS: '--max-old-space-size=128 --max-semi-space-size=16',
    MALLOC_ARENA_MAX: '2',
    ...apiEnv,
  };
  const nodeArgs = [];
  if (settings.cpuProfileDir) {
    mkdirSync(settings.cpuProfileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`);
  }
  const start = async (role, extraEnv = {}) => {
    const proc = await testing.ApiProcess.start(
      { ...env, PROCESS_ROLE: role, ...extraEnv },
      {
        databaseUrl,
        main: join(apiDir, 'main.js'),
        withoutTestDefaults: true,
        nodeArgs,
        maxLogLines: 500,
      },
    );
    onExit(() => void proc.stop('SIGKILL'));
    onCleanup(`our ${role} process`, () => proc.stop('SIGTERM', 12_000));
    return proc;
  };
  const api = await start('api');
  const worker = await start('worker');
  const db = await pgClient(databaseUrl);
  onCleanup('bench database client', () => db.end());
  log(
    'ours',
    `API ${api.baseUrl} (pid ${api.pid}), worker pid ${worker.pid}, BCRYPT_COST ${settings.bcryptCost}`,
  );

  return {
    name: 'ours',
    baseUrl: api.baseUrl,
    forgotPath: '/api/v1/auth/forgot-password',
    forgotBody: (email) => ({ email }),
    forgotStatus: 202,
    resetPath: '/api/v1/auth/reset-password',
    resetBody: (token, newPassword) => ({ token, newPassword }),
    livePath: '/api/health/live',
    api,
    worker,
    db,
    /** Another process of ours on the same database and secrets (the followup phase). */
    startProcess: start,
    databaseName: new URL(databaseUrl).pathname.slice(1),
    processes: () => ({ 'our API': api.pid, 'our worker': worker.pid }),
    memory: () => ({ 'our API': api.memory(), 'our worker': worker.memory() }),
    errorLines: () =>
      [...api.logs, ...worker.logs].filter((l) => /"level":(4|5|6)\d|error|warn/i.test(l)),
    /** Users `prefix-00000@bench.test` … (no password: a reset sets one). */
    async seed(prefix, count) {
      await db.query(
        `INSERT INTO users (email)
         SELECT $1 || '-' || lpad(g::text, 5, '0') || '@bench.test' FROM generate_series(0, $2 - 1) g
         ON CONFLICT (email) DO NOTHING`,
        [prefix.padEnd(5, 'x').slice(0, 5), count],
      );
      return (i) => address(prefix, i);
    },
    backlog: () => queueBacklog(db),
    /** Waits until the worker has nothing left; past `timeoutMs`, discards what has not started. */
    async drain(label, timeoutMs) {
      const t0 = performance.now();
      const initial = await queueBacklog(db);
      let left = initial;
      while (left > 0 && performance.now() - t0 < timeoutMs) {
        await sleep(200);
        // The full count reads every job the table still holds (finished ones stay for
        // JOB_ARCHIVE_AFTER_SECONDS): 10 to 30 ms of PostgreSQL per poll late in a run, taken
        // from the drain being measured. While jobs wait, the waiting ones alone say "not yet".
        const waiting = await waitingJobs(db);
        left = waiting > 0 ? waiting : await queueBacklog(db);
      }
      const ms = performance.now() - t0;
      let discarded = 0;
      if (left > 0) {
        discarded =
          (await db.query(`DELETE FROM reset_request_intake`)).rowCount +
          (
            await db.query(
              `DELETE FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry')`,
              [QUEUE],
            )
          ).rowCount;
        await sleep(2000); // let active ones finish
      }
      if (initial > 0)
        log(
          'queue',
          `${initial} job(s) ${label}: drained in ${(ms / 1000).toFixed(1)} s${left ? `; gave up, discarded ${discarded}` : ''}`,
        );
      return { label, initial, ms, left, discarded };
    },
  };
}

/** BENCH_API_<NAME>=value → <NAME>=value for our processes. */
export function apiOverrides() {
  const overrides = {};
  for (const [key, value] of Object.entries(process.env))
    if (key.startsWith('BENCH_API_') && value !== undefined)
      overrides[key.slice('BENCH_API_'.length)] = value;
  if (Object.keys(overrides).length > 0)
    log(
      'ours',
      `overrides: ${Object.entries(overrides)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
  return overrides;
}

/**
 * Work waiting: email jobs not yet claimed (created or retry), which the index of waiting
 * jobs that JobQueue gives the queue's partition counts at the cost of the backlog, not the
 * table, and forgot-password requests not yet moved out of the intake.
 */
async function waitingJobs(db) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM pgboss.job WHERE name = $1 AND state < 'active')
          + (SELECT count(*)::int FROM reset_request_intake) AS n`,
    [QUEUE],
  );
  return rows[0].n;
}

/** Email jobs still to do, and forgot-password requests not yet moved into the queue. */
async function queueBacklog(db) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM pgboss.job
              WHERE name = $1 AND state IN ('created', 'retry', 'active'))
          + (SELECT count(*)::int FROM reset_request_intake) AS n`,
    [QUEUE],
  );
  return rows[0].n;
}
