#!/usr/bin/env node
/**
 * `npm start`: the whole product on one machine with nothing installed but Node.
 * - a mail catcher (maildev) with an inbox page, unless SMTP_URL points elsewhere;
 * - the API with its job workers in one process (`nx serve api`, PROCESS_ROLE=all), which
 *   starts an embedded PostgreSQL when DATABASE_URL is unset;
 * - the portal, built in every language (`nx build portal`, cached by Nx after the first
 *   time) and served as nginx serves it in production: each reader gets their language at
 *   the same addresses (portal-server.mjs), /api proxied to the API. For live reload while
 *   working on the portal, `npx nx serve portal` serves the English build alone.
 * Ctrl+C stops everything.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

import { startPortalServer } from './portal-server.mjs';

const root = resolve(import.meta.dirname, '../..');
const bin = (name) => resolve(root, 'node_modules/.bin', name);
const quietTools = {
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  NX_DAEMON: process.env.NX_DAEMON ?? 'false',
  NG_CLI_ANALYTICS: 'false',
};
const children = [];

/** Starts a child; everything stops when one ends, except a `finite` one that succeeds. */
function run(name, command, args, env = {}, finite = false) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...quietTools, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${name}]`.padEnd(9);
  const print = (chunk) => {
    for (const line of chunk.toString('utf8').split('\n'))
      if (line.trim()) process.stdout.write(`${prefix} ${line}\n`);
  };
  child.stdout.on('data', print);
  child.stderr.on('data', print);
  child.on('exit', (code, signal) => {
    if (finite && code === 0) return;
    if (!stopping) {
      process.stdout.write(`${prefix} exited (${signal ?? code}); stopping everything\n`);
      stop(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(
    children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))),
  ).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

const apiPort = process.env.PORT ?? '3000';
const inbox = !process.env.SMTP_URL;
if (inbox) {
  const mailDir = resolve(root, '.data/maildev');
  mkdirSync(mailDir, { recursive: true });
  run('mail', bin('maildev'), [
    '--ip',
    '127.0.0.1',
    '--web-ip',
    '127.0.0.1',
    '-s',
    '1025',
    '-w',
    '1080',
    '--mail-directory',
    mailDir,
  ]);
}
run('api', bin('nx'), ['serve', 'api', '--output-style=stream'], {
  LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
  // One command, one process: the emails are sent by the API process itself, whatever a
  // PROCESS_ROLE left in the shell says.
  PROCESS_ROLE: 'all',
  // A demo walks through several recoveries of one account within the hour (link, recovery
  // code, emailed code): production's 3 reset emails an hour per address would silently stop
  // the fourth. The limit itself is tested by the end-to-end suite.
  RESET_EMAILS_PER_HOUR: process.env.RESET_EMAILS_PER_HOUR ?? '20',
});
const portalBuild = run(
  'portal',
  bin('nx'),
  ['build', 'portal', '--output-style=stream'],
  {},
  true,
);
const portalBuilt = new Promise((resolveBuilt) =>
  portalBuild.on('exit', (code) => resolveBuilt(code === 0)),
);
portalBuilt
  .then(async (built) => {
    if (!built || stopping) return;
    await startPortalServer({
      dir: resolve(root, 'dist/apps/portal/browser'),
      port: 4200,
      apiOrigin: `http://127.0.0.1:${apiPort}`,
      defaultLocale: process.env.DEFAULT_LOCALE,
    });
  })
  .catch((error) => {
    process.stdout.write(`[portal]  cannot serve on 4200: ${error.message}; stopping everything\n`);
    stop(1);
  });

const [apiUp, portalUp] = await Promise.all([
  waitFor(`http://127.0.0.1:${apiPort}/api/health/ready`, 180_000),
  waitFor('http://127.0.0.1:4200/', 180_000),
]);
if (!stopping) {
  const lines = [
    '',
    'account-recovery is running:',
    `  portal     http://localhost:4200${portalUp ? '' : '   (still starting)'}`,
    `  API docs   http://localhost:${apiPort}/api/docs${apiUp ? '' : '   (still starting)'}`,
    inbox
      ? '  inbox      http://localhost:1080   (every email the API sends lands here)'
      : `  mail       sent through SMTP_URL`,
    '',
    'Try it: open http://localhost:4200/forgot-password, ask a link for demo@example.com,',
    'open it from the inbox and set a password. Ctrl+C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
