/**
 * docker/nginx.conf, run by a real nginx outside Docker: the portal's build as the document
 * root, a stand-in API as the upstream. Only what cannot exist outside a container is
 * rewritten (paths, ports, the "api" host name); every rewrite must match exactly once, so
 * the test breaks loudly when the configuration changes shape.
 *
 * Needs `nginx` on PATH (Debian: apt-get install nginx); skipped without it.
 * Run: node --test tools/image-check/
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

const root = resolve(import.meta.dirname, '../..');
const htmlRoot = join(root, 'dist/apps/portal/browser');
const nginxBinary = spawnSync('nginx', ['-v']).error ? null : 'nginx';
/** The headers the portal's dev server sends: production must send the same. */
const devServerHeaders = JSON.parse(readFileSync(join(root, 'apps/portal/project.json'), 'utf8'))
  .targets.serve.options.headers;

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

describe(
  'portal nginx (docker/nginx.conf)',
  { skip: !nginxBinary && 'nginx is not installed' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'image-check-nginx-'));
    const token = randomBytes(32).toString('base64url');
    const upstreamSeen = [];
    let upstream;
    let nginx;
    let base;

    before(async () => {
      assert.ok(
        existsSync(join(htmlRoot, 'en', 'index.html')),
        'dist/apps/portal/browser (run: npx nx build portal)',
      );
      // Stands in for the API: records what nginx forwarded, answers with headers of its own.
      upstream = createServer((request, response) => {
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
      base = `http://127.0.0.1:${port}`;
      const config = localConfig(readFileSync(join(root, 'docker/nginx.conf'), 'utf8'), {
        dir,
        port,
        upstreamPort: upstream.address().port,
      });
      writeFileSync(join(dir, 'nginx.conf'), config);
      const args = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'startup.log')];
      const syntax = spawnSync(nginxBinary, [...args, '-t'], { encoding: 'utf8' });
      assert.equal(syntax.status, 0, `nginx -t:\n${syntax.stderr}`);
      nginx = spawn(nginxBinary, [...args, '-g', 'daemon off;'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      nginx.stderr.on('data', (chunk) => (stderr += chunk));
      const deadline = Date.now() + 10_000;
      while (!(await fetch(`${base}/healthz`).catch(() => null))) {
        assert.ok(
          Date.now() < deadline && nginx.exitCode === null,
          `nginx did not start:\n${stderr}`,
        );
        await new Promise((r) => setTimeout(r, 100));
      }
    });

    after(async () => {
      if (nginx && nginx.exitCode === null) {
        nginx.kill('SIGQUIT');
        await new Promise((r) => nginx.once('exit', r));
      }
      await new Promise((r) => (upstream ? upstream.close(r) : r()));
      if (!process.env.KEEP_NGINX_DIR) rmSync(dir, { recursive: true, force: true });
    });

    function assertPortalHeaders(response, what) {
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

    test('the same security headers as the portal dev server', () => {
      for (const name of ['Referrer-Policy', 'X-Content-Type-Options', 'X-Frame-Options'])
        assert.ok(devServerHeaders[name], `apps/portal/project.json serve headers name ${name}`);
    });

    test('/ serves index.html, revalidated every time', async () => {
      const response = await fetch(`${base}/`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type'), /^text\/html/);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assertPortalHeaders(response, '/');
      assert.equal(await response.text(), readFileSync(join(htmlRoot, 'en', 'index.html'), 'utf8'));
    });

    /** The language of the page nginx answers a route with, from its <html lang>. */
    async function pageLanguage(headers) {
      const response = await fetch(`${base}/login`, { headers });
      assert.equal(response.status, 200);
      const lang = /<html lang="([a-z]+)"/.exec(await response.text())?.[1];
      assert.equal(response.headers.get('content-language'), lang, 'Content-Language');
      assert.match(response.headers.get('vary') ?? '', /Accept-Language, Cookie/);
      return lang;
    }

    test("a route is answered in the reader's language, at the same address", async () => {
      const cases = [
        [{}, 'en'],
        [{ 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.8' }, 'fr'],
        [{ 'accept-language': 'DE-ch' }, 'de'],
        [{ 'accept-language': 'ja' }, 'ja'],
        [{ 'accept-language': 'it-IT, it;q=0.9, es;q=0.5' }, 'es'],
        [{ 'accept-language': 'ar;q=0, es-MX;q=0.8' }, 'es'],
        [{ 'accept-language': 'pt-BR, *' }, 'en'],
        [
          { 'accept-language': 'de', cookie: 'theme=dark; locale=de; account_recovery_locale=ar' },
          'ar',
        ],
        [{ 'accept-language': 'de', cookie: 'account_recovery_locale=../../etc' }, 'de'],
        [{ 'accept-language': 'de', cookie: 'account_recovery_locale=AR' }, 'de'],
      ];
      for (const [headers, expected] of cases)
        assert.equal(await pageLanguage(headers), expected, JSON.stringify(headers));
    });

    test('a page kept in one language is never revalidated into another (no 304)', async () => {
      const english = await fetch(`${base}/login`);
      await english.text();
      const validators = {};
      const etag = english.headers.get('etag');
      const modified = english.headers.get('last-modified');
      if (etag) validators['if-none-match'] = etag;
      if (modified) validators['if-modified-since'] = modified;
      const german = await fetch(`${base}/login`, {
        headers: { ...validators, cookie: 'account_recovery_locale=de' },
      });
      assert.equal(german.status, 200);
      assert.match(await german.text(), /<html lang="de"/);
      assert.equal(german.headers.get('etag'), null);
    });

    test('a reset link under a language folder is never stored either', async () => {
      const response = await fetch(`${base}/de/reset-password/${token}`);
      assert.equal(response.headers.get('cache-control'), 'no-store');
    });

    test('the icon is at the root too', async () => {
      const response = await fetch(`${base}/favicon.ico`);
      assert.equal(response.status, 200);
      assertPortalHeaders(response, '/favicon.ico');
    });

    test('the emailed reset link falls back to index.html, never stored by the browser', async () => {
      const response = await fetch(`${base}/reset-password/${token}`);
      assert.equal(response.status, 200);
      // no-cache would still keep the tokened address as a key in the disk cache.
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assertPortalHeaders(response, 'reset link');
      assert.match(await response.text(), /<app-root>/);
      for (const path of [
        '/reset-password',
        `/reset-password/${token}?lang=de`,
        `/Reset-Password/${token}`,
        `//reset-password/${token}`,
      ]) {
        const other = await fetch(`${base}${path}`);
        assert.equal(other.headers.get('cache-control'), 'no-store', path);
      }
    });

    test('other app routes fall back to index.html, revalidated every time', async () => {
      for (const path of [
        '/forgot-password',
        '/login',
        '/reset-passwords',
        '/x/reset-password/y',
      ]) {
        const response = await fetch(`${base}${path}`);
        assert.equal(response.status, 200, path);
        assert.equal(response.headers.get('cache-control'), 'no-cache', path);
        assertPortalHeaders(response, path);
      }
    });

    test('hashed files are cached for a year, immutable, and gzipped', async () => {
      const language = join(htmlRoot, 'ar');
      const hashed = readdirSync(language).find(
        (name) => /-[A-Z0-9]{8}\.js$/.test(name) && statSync(join(language, name)).size > 4096,
      );
      assert.ok(hashed, 'the build has hashed .js files');
      const response = await fetch(`${base}/ar/${hashed}`, {
        headers: { 'accept-encoding': 'gzip' },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(response.headers.get('content-encoding'), 'gzip');
      assertPortalHeaders(response, hashed);
      assert.equal(await response.text(), readFileSync(join(language, hashed), 'utf8'));
    });

    test('a missing file is a 404 (not index.html), with every header', async () => {
      const response = await fetch(`${base}/chunk-GONE0000.js`);
      assert.equal(response.status, 404);
      assertPortalHeaders(response, '404');
    });

    test('HSTS only when the request came over TLS', async () => {
      const response = await fetch(`${base}/`, { headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(
        response.headers.get('strict-transport-security'),
        'max-age=31536000; includeSubDomains',
      );
    });

    test('/api/ goes to the API with the client address it cannot forge', async () => {
      upstreamSeen.length = 0;
      const response = await fetch(`${base}/api/v1/auth/login?x=1`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'accept-encoding': 'gzip',
          'x-forwarded-for': '203.0.113.7',
          'x-forwarded-proto': 'https',
        },
        body: '{}',
      });
      assert.equal(response.status, 200);
      const [seen] = upstreamSeen;
      assert.equal(seen.url, '/api/v1/auth/login?x=1');
      assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1', 'overwritten, not appended');
      assert.equal(seen.headers['x-forwarded-proto'], 'http');
      assert.match(seen.headers['x-request-id'], /^[0-9a-f]{32}$/);
      // The API's own headers pass through, the portal's are not added on top.
      assert.equal(response.headers.get('content-security-policy'), "default-src 'none'");
      assert.equal(response.headers.get('x-frame-options'), 'SAMEORIGIN');
      assert.equal(response.headers.get('cache-control'), null);
      assert.equal(response.headers.get('content-encoding'), null, 'no compression of API answers');
    });

    test("a caller's X-Request-Id reaches the API; Swagger UI's files are the API's", async () => {
      upstreamSeen.length = 0;
      await fetch(`${base}/api/health/live`, { headers: { 'x-request-id': 'trace-42' } });
      await fetch(`${base}/api/docs/swagger-ui-bundle.js`);
      assert.equal(upstreamSeen[0].headers['x-request-id'], 'trace-42');
      assert.equal(upstreamSeen[1].url, '/api/docs/swagger-ui-bundle.js');
    });

    test('the access log is JSON and never holds the token or a query string', async () => {
      await fetch(`${base}/reset-password/${token}?utm=${token}`);
      await fetch(`${base}//Reset-Password/${token}`);
      await fetch(`${base}/%72eset-password/${token}`);
      await fetch(`${base}/api/..%2F..%2Freset-password/${token}`);
      await fetch(`${base}/login?next=${token}`);
      await new Promise((r) => setTimeout(r, 200));
      const access = readFileSync(join(dir, 'access.log'), 'utf8');
      const errors = existsSync(join(dir, 'error.log'))
        ? readFileSync(join(dir, 'error.log'), 'utf8')
        : '';
      assert.ok(!access.includes(token), 'token in the access log');
      assert.ok(!errors.includes(token), 'token in the error log');
      const entries = access
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const uris = entries.map((entry) => entry.uri);
      assert.ok(uris.includes('/reset-password/[redacted]'));
      assert.ok(uris.includes('/login'));
      assert.ok(uris.includes('/api/health/live'));
      assert.ok(!uris.includes('/healthz'), 'health probes are not logged');
      const traced = entries.find((entry) => entry.uri === '/api/health/live');
      assert.equal(traced.request_id, 'trace-42');
      assert.equal(typeof traced.status, 'number');
    });
  },
);
