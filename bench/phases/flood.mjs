/**
 * The `flood` phase: is a person's reset link still fast while an attacker floods
 * forgot-password with addresses that have no account?
 *
 * Production start on the bench's database: an API process and a worker process
 * (PROCESS_ROLE=api / worker, NODE_ENV=production) with the production rate limits in force
 * (the bench lifts them for its other phases). For BENCH_FLOOD_SECONDS (60) autocannon sends
 * forgot-password for unknown addresses at the API's full rate, every request from another
 * client address (X-Forwarded-For, behind TRUST_PROXY=127.0.0.1; IPv4 addresses and IPv6 /64
 * networks in turn), so no per-IP budget ever stops it: the threat is an attacker with many
 * addresses. Meanwhile, every 2 s, one request for a distinct address that has an account,
 * from its own client address; its figure is request sent → message in the SMTP sink.
 * After the flood: how long until the backlog is gone (no email job waiting or running).
 *
 * Knobs: BENCH_FLOOD_SECONDS (default 60), BENCH_FLOOD_CONNECTIONS (default 128),
 * BENCH_FLOOD_DRAIN_SECONDS (longest wait for the backlog after the flood; default 120).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

import { cpuSnapshot, cpuUse } from '../lib/cpu.mjs';
import { summary } from '../lib/flood-report.mjs';
import { intEnv, sleep } from '../lib/harness.mjs';
import { stats } from '../lib/stats.mjs';

export { rows } from '../lib/flood-report.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const FORGOT = '/api/v1/auth/forgot-password';
const LEGIT_EVERY_MS = 2000;
const POLL_MS = 250;

/** The production defaults of the limits the bench's other phases lift (docs/operations.md). */
const PRODUCTION_LIMITS = {
  RATE_LIMIT_FORGOT_PER_MINUTE: '5',
  RATE_LIMIT_VALIDATE_PER_MINUTE: '30',
  RATE_LIMIT_RESET_PER_MINUTE: '10',
  RATE_LIMIT_LOGIN_PER_MINUTE: '10',
  RESET_EMAILS_PER_HOUR: '3',
  RESET_EMAIL_COOLDOWN_SECONDS: '60',
};

/** Settings from the environment. */
function floodSettings() {
  return {
    seconds: intEnv('BENCH_FLOOD_SECONDS', 60, 5, 600),
    connections: intEnv('BENCH_FLOOD_CONNECTIONS', 128, 1, 1024),
    drainSeconds: intEnv('BENCH_FLOOD_DRAIN_SECONDS', 120, 5, 900),
  };
}

/** Our processes are stopped here: the flood starts its own with the production limits. */
export const stopsSystems = true;

/**
 * Stops our bench processes (their limits are lifted) and starts an API and a worker with the
 * production limits on the same database; stores its figures in results.phases.flood and
 * returns where the cores went while the flood lasted (its own processes, which the bench's
 * accounting does not know).
 */
export async function run({ ours, sink, log, results }) {
  await ours.api.stop('SIGTERM', 12_000);
  await ours.worker.stop('SIGTERM', 12_000);
  const figures = await flood({
    settings: floodSettings(),
    db: ours.db,
    databaseName: ours.databaseName,
    sink,
    startProcess: (role, env) => ours.startProcess(role, env),
    seed: (prefix, count) => ours.seed(prefix, count),
    log: (message) => log('flood', message),
  });
  results.phases.flood = figures;
  return { cpu: figures.cpuCoresDuringFlood, cpuWindow: 'while the flood lasted' };
}

async function flood(ctx) {
  const { settings: s, db, sink, log } = ctx;
  const legitCount = Math.floor((s.seconds * 1000) / LEGIT_EVERY_MS);
  const address = await ctx.seed('flood', legitCount);
  const env = { ...PRODUCTION_LIMITS };
  const api = await ctx.startProcess('api', env);
  const worker = await ctx.startProcess('worker', env);
  // The bench's accounting knows only its own processes, which this phase stopped: these are
  // read here, so PostgreSQL and "other processes" are attributed right for the flood.
  const cpuNow = () =>
    cpuSnapshot({ 'flood API': api.pid, 'flood worker': worker.pid }, [ctx.databaseName]);
  const cpuBefore = cpuNow();
  try {
    const runId = randomBytes(3).toString('hex');
    let n = 0;
    const legit = [];
    const floodStart = performance.now();
    const cannon = autocannon({
      url: api.baseUrl,
      connections: s.connections,
      duration: s.seconds,
      requests: [
        {
          method: 'POST',
          path: FORGOT,
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => {
            const i = n++;
            return {
              ...req,
              headers: { ...req.headers, 'x-forwarded-for': floodIp(i) },
              body: JSON.stringify({ email: `nobody-${runId}-${i}@flood.bench.test` }),
            };
          },
        },
      ],
    });
    // The legitimate person: one request every 2 s while the flood lasts.
    const legitDone = (async () => {
      for (let i = 0; i < legitCount; i++) {
        const wait = floodStart + i * LEGIT_EVERY_MS - performance.now();
        if (wait > 0) await sleep(wait);
        const email = address(i);
        const entry = { email, sentAt: Date.now(), status: 0, answeredMs: NaN };
        legit.push(entry);
        post(api.baseUrl, { email }, `172.31.${i >> 8}.${i & 255}`).then(
          ({ status, ms }) => Object.assign(entry, { status, answeredMs: ms }),
          () => Object.assign(entry, { status: -1 }),
        );
      }
    })();
    const result = await cannon;
    const floodEnd = performance.now();
    const cpuDuring = cpuUse(cpuBefore, cpuNow());
    await legitDone;

    // The backlog after the flood: every email job finished (completed, failed or settled).
    let drainedAfterMs = null;
    let backlog = await pendingJobs(db);
    const backlogAtEnd = backlog;
    const deadline = floodEnd + s.drainSeconds * 1000;
    while (backlog > 0 && performance.now() < deadline) {
      await sleep(POLL_MS);
      backlog = await pendingJobs(db);
    }
    if (backlog === 0) drainedAfterMs = performance.now() - floodEnd;
    // Emails already claimed may still be on their way to the sink.
    const arrived = (e) => sink.mailsTo(e.email).find((m) => m.receivedAt >= e.sentAt)?.receivedAt;
    const grace = performance.now() + 5000;
    while (legit.some((e) => arrived(e) === undefined) && performance.now() < grace)
      await sleep(POLL_MS);

    const latencies = legit.map((e) => {
      const at = arrived(e);
      return at === undefined ? Infinity : at - e.sentAt;
    });
    const statusCounts = {};
    for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {}))
      statusCounts[code] = count;
    const figures = {
      seconds: s.seconds,
      connections: s.connections,
      floodRps: result.requests.total / ((floodEnd - floodStart) / 1000),
      floodRequests: result.requests.total,
      floodP99Ms: result.latency.p99,
      statusCounts,
      errors: result.errors,
      timeouts: result.timeouts,
      legit: {
        requests: legit.length,
        non202: legit.filter((e) => e.status !== 202).length,
        answeredMs: stats(legit.map((e) => e.answeredMs).filter(Number.isFinite)),
        requestToInboxMs: stats(latencies),
        neverArrived: latencies.filter((ms) => !Number.isFinite(ms)).length,
      },
      backlogAtFloodEnd: backlogAtEnd,
      backlogLeft: backlog,
      drainedAfterMs,
      drainWaitSeconds: s.drainSeconds,
      cpuCoresDuringFlood: cpuDuring,
      memory: { 'flood API': api.memory(), 'flood worker': worker.memory() },
    };
    log(summary(figures));
    return figures;
  } finally {
    await Promise.all([api.stop(), worker.stop()]);
  }
}

/**
 * The i-th flood request's client address: IPv4 addresses and IPv6 /64 networks in turn,
 * each used once (IPv6 limits count per /64).
 */
function floodIp(i) {
  const k = i >> 1;
  if (i % 2 === 0) return `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
  return `2001:db8:${((k >> 16) & 0xffff).toString(16)}:${(k & 0xffff).toString(16)}::1`;
}

/** Email jobs waiting, to be retried, or running, and requests still in the intake. */
async function pendingJobs(db) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM pgboss.job
              WHERE name = 'account-email' AND state IN ('created', 'retry', 'active'))
          + (SELECT count(*)::int FROM reset_request_intake) AS n`,
  );
  return rows[0].n;
}

/** One forgot-password on a connection of its own, as a person's browser would send it. */
function post(baseUrl, body, forwardedFor) {
  const payload = Buffer.from(JSON.stringify(body));
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      {
        hostname,
        port,
        path: FORGOT,
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': payload.length,
          'x-forwarded-for': forwardedFor,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}
