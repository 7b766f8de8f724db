/**
 * The peer: better-auth (bench/peers/better-auth, its own package.json and lockfile, not a
 * dependency of the product), installed on first use with `npm install --prefix`, started as
 * one node:http process on a database of its own on the same PostgreSQL server, sending its
 * reset emails to the same SMTP sink. See bench/peers/better-auth/server.mjs for its settings.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

import { log, onCleanup, onExit, sleep } from './harness.mjs';
import { address } from './load.mjs';
import { pgClient, run } from './ours.mjs';

/** Installs the peer's packages when missing or older than its lockfile. */
export async function installPeer(root, peerDir) {
  const marker = join(peerDir, 'node_modules', '.package-lock.json');
  if (
    existsSync(marker) &&
    statSync(marker).mtimeMs >= statSync(join(peerDir, 'package-lock.json')).mtimeMs
  )
    return 0;
  const t0 = performance.now();
  log('peer', 'npm install --prefix bench/peers/better-auth (first use)');
  const { code, output } = await run(
    root,
    'npm',
    ['install', '--prefix', peerDir, '--no-audit', '--no-fund', '--loglevel=error'],
    { env: process.env, timeoutMs: 3 * 60_000 },
  );
  if (code !== 0) {
    console.error(output);
    throw new Error(`npm install of the peer failed (exit ${code})`);
  }
  const seconds = (performance.now() - t0) / 1000;
  log('peer', `installed in ${seconds.toFixed(1)} s`);
  return seconds;
}

export async function startPeer({ testing, peerDir, serverUrl, smtpUrl }) {
  const version = JSON.parse(
    readFileSync(join(peerDir, 'node_modules/better-auth/package.json'), 'utf8'),
  ).version;
  const databaseUrl = await testing.createDatabase(serverUrl, 'bench_peer');
  onCleanup('peer database', () => testing.dropDatabase(databaseUrl));
  const port = await testing.freePort();
  const logs = [];
  const child = spawn(process.execPath, [join(peerDir, 'server.mjs')], {
    cwd: peerDir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      SMTP_URL: smtpUrl,
      PORT: String(port),
      BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
      BETTER_AUTH_TELEMETRY: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onExit(() => child.kill('SIGKILL'));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  onCleanup('peer process', async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
  });
  const ready = new Promise((resolve, reject) => {
    const collect = (chunk) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        if (line === 'ready') resolve();
        logs.push(line);
        if (logs.length > 200) logs.shift();
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) =>
      reject(new Error(`peer exited with ${code}:\n${logs.join('\n')}`)),
    );
    setTimeout(() => reject(new Error(`peer not ready in 30 s:\n${logs.join('\n')}`)), 30_000);
  });
  await ready;
  const db = await pgClient(databaseUrl);
  onCleanup('peer database client', () => db.end());
  const { hashPassword } = await import(pathToFileURL(join(peerDir, 'hash.mjs')).href);
  // Seeded users share one stored hash: what a reset replaces, never compared.
  const storedHash = await hashPassword(`an old passphrase ${randomBytes(8).toString('hex')}`);
  log(
    'peer',
    `better-auth ${version} on http://127.0.0.1:${port} (pid ${child.pid}); its rate limiter is OFF for the run`,
  );

  const memory = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const mb = (f) => Number(new RegExp(`^${f}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024;
      return { rssMb: mb('VmRSS'), hwmMb: mb('VmHWM') };
    } catch {
      return { rssMb: NaN, hwmMb: NaN };
    }
  };
  return {
    name: 'better-auth',
    version,
    baseUrl: `http://127.0.0.1:${port}`,
    forgotPath: '/api/auth/request-password-reset',
    forgotBody: (email) => ({ email }),
    forgotStatus: 200,
    resetPath: '/api/auth/reset-password',
    resetBody: (token, newPassword) => ({ token, newPassword }),
    livePath: '/api/auth/ok',
    db,
    databaseName: new URL(databaseUrl).pathname.slice(1),
    processes: () => ({ 'better-auth': child.pid }),
    memory: () => ({ 'better-auth': memory() }),
    errorLines: () => logs.filter((l) => /error|fail/i.test(l)),
    hashPassword,
    /** Users `prefix-00000@bench.test` … with a credential account each. */
    async seed(prefix, count) {
      const p = prefix.padEnd(5, 'x').slice(0, 5);
      await db.query(
        `WITH u AS (
           INSERT INTO "user" (id, name, email, "emailVerified", "createdAt", "updatedAt")
           SELECT 'u-' || $1 || g, 'Bench', $1 || '-' || lpad(g::text, 5, '0') || '@bench.test', true, now(), now()
             FROM generate_series(0, $2 - 1) g
           ON CONFLICT (email) DO NOTHING RETURNING id)
         INSERT INTO account (id, "accountId", "providerId", "userId", password, "createdAt", "updatedAt")
         SELECT 'a-' || id, id, 'credential', id, $3, now(), now() FROM u`,
        [p, count, storedHash],
      );
      return (i) => address(prefix, i);
    },
    backlog: async () => 0,
    drain: async (label) => ({ label, initial: 0, ms: 0, left: 0, discarded: 0 }),
  };
}
