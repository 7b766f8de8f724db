/**
 * docker/nginx.conf under a real nginx (portal-nginx-harness.mjs): each route in the reader's
 * language (docs/architecture.md §12).
 * Run: node --test tools/image-check/
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { assertPortalHeaders, nginxBinary, startPortalNginx } from './portal-nginx-harness.mjs';

describe(
  "portal nginx (docker/nginx.conf): the reader's language",
  { skip: !nginxBinary && 'nginx is not installed' },
  () => {
    const token = randomBytes(32).toString('base64url');
    let portal;
    let base;

    before(async () => {
      portal = await startPortalNginx();
      ({ base } = portal);
    });

    after(() => portal?.stop());

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
  },
);
