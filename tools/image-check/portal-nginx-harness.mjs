/**
 * docker/nginx.conf, run by a real nginx outside Docker for the image checks: the portal's
 * build as the document root, a stand-in API as the upstream. Only what cannot exist outside a
 * container is rewritten (paths, ports, the "api" host name); every rewrite must match exactly
 * once, so the checks break loudly when the configuration changes shape.
 *
 * Needs `nginx` on PATH (Debian: apt-get install nginx); the checks skip without it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
export const htmlRoot = join(root, 'dist/apps/portal/browser');
export const nginxBinary = spawnSync('nginx', ['-v']).error ? null : 'nginx';
/** The headers the portal's dev server sends: production must send the same. */
export const devServerHeaders = JSON.parse(
  readFileSync(join(root, 'apps/portal/project.json'), 'utf8'),
).targets.serve.options.headers;

function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createNetServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

/** docker/nginx.conf with container paths, ports and host names replaced for this machine. */
function localConfig(text, { dir, port, upstreamPort }) {
  const rewrites = [
    ['listen 8080;', `listen 127.0.0.1:${port};`],
    ['set $api_upstream api:3000;', `set $api_upstream 127.0.0.1:${upstreamPort};`],
    ['root /usr/share/nginx/html;', `root ${htmlRoot};`],
    ['error_log /dev/stderr warn;', `error_log ${dir}/error.log warn;`],
    ['access_log /dev/stdout portal;', `access_log ${dir}/access.log portal;`],
  ];
  // pid and temp paths: everything nginx writes is under /tmp in the image.
  assert.ok(text.includes(' /tmp/'), 'nginx writes under /tmp');
  let result = text.replaceAll(' /tmp/', ` ${dir}/`);
  for (const [from, to] of rewrites) {
    assert.equal(result.split(from).length - 1, 1, `docker/nginx.conf has "${from}" once`);
    result = result.replace(from, to);
  }
  return result;
}

/**
 * Starts nginx on docker/nginx.conf with a stand-in API; `upstreamSeen` records what reached
 * the API. `stop()` ends both (set KEEP_NGINX_DIR to keep the logs).
 */
export async function startPortalNginx() {
  const dir = mkdtempSync(join(tmpdir(), 'image-check-nginx-'));
  const upstreamSeen = [];
  assert.ok(
    existsSync(join(htmlRoot, 'en', 'index.html')),
    'dist/apps/portal/browser (run: npx nx build portal)',
  );
  // Stands in for the API: records what nginx forwarded, answers with headers of its own.
  const upstream = createServer((request, response) => {
    upstreamSeen.push({ url: request.url, headers: request.headers });
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-security-policy': "default-src 'none'",
      'x-frame-options': 'SAMEORIGIN',
    });
    response.end(JSON.stringify({ ok: true, padding: 'x'.repeat(4096) }));
  });
  await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = localConfig(readFileSync(join(root, 'docker/nginx.conf'), 'utf8'), {
    dir,
    port,
    upstreamPort: upstream.address().port,
  });
  writeFileSync(join(dir, 'nginx.conf'), config);
  const args = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'startup.log')];
  const syntax = spawnSync(nginxBinary, [...args, '-t'], { encoding: 'utf8' });
  assert.equal(syntax.status, 0, `nginx -t:\n${syntax.stderr}`);
  const nginx = spawn(nginxBinary, [...args, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  nginx.stderr.on('data', (chunk) => (stderr += chunk));
  const deadline = Date.now() + 10_000;
  while (!(await fetch(`${base}/healthz`).catch(() => null))) {
    assert.ok(Date.now() < deadline && nginx.exitCode === null, `nginx did not start:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    dir,
    upstreamSeen,
    async stop() {
      if (nginx.exitCode === null) {
        nginx.kill('SIGQUIT');
        await new Promise((r) => nginx.once('exit', r));
      }
      await new Promise((r) => upstream.close(r));
      if (!process.env.KEEP_NGINX_DIR) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The security headers every portal answer carries, errors included. */
export function assertPortalHeaders(response, what) {
  const h = response.headers;
  assert.equal(
    h.get('content-security-policy'),
    devServerHeaders['Content-Security-Policy'],
    `${what}: CSP`,
  );
  assert.match(h.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(h.get('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(h.get('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal(h.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.equal(h.get('strict-transport-security'), null, `${what}: no HSTS over plain http`);
  assert.equal(h.get('server'), 'nginx', `${what}: no version in Server`);
}
