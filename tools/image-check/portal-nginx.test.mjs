/**
 * docker/nginx.conf under a real nginx (portal-nginx-harness.mjs): headers, caching, the SPA
 * fallback, the API proxy and the access log. The language choice has its own file.
 * Run: node --test tools/image-check/
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  assertPortalHeaders,
  devServerHeaders,
  htmlRoot,
  nginxBinary,
  startPortalNginx,
} from './portal-nginx-harness.mjs';

describe(
  'portal nginx (docker/nginx.conf)',
  { skip: !nginxBinary && 'nginx is not installed' },
  () => {
    const token = randomBytes(32).toString('base64url');
    let portal;
    let base;
    let dir;
    let upstreamSeen;

    before(async () => {
      portal = await startPortalNginx();
      ({ base, dir, upstreamSeen } = portal);
    });

    after(() => portal?.stop());

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
