import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_LOCALE } from '@account-recovery/contracts';

import type { Page } from '@playwright/test';

import { t } from './support/catalog';
import { expect, test } from './support/fixtures';
import { chooseNewPassword, controls, openResetLink, paths } from './support/portal';
import { PORTAL_BUILD_DIR } from './support/portal-server';
import { GOOD_PASSWORD, uniqueEmail } from './support/stack';

interface UrlChange {
  at: number;
  href: string;
}

interface LoadTimeline {
  /** Every history.pushState/replaceState, with the address after it. */
  changes: UrlChange[];
  /** What the page fetched beyond index.html's module graph: lazy chunks, API calls. */
  later: { name: string; startTime: number }[];
}

/** Records, in the page, when the address changes (observation only; nothing is altered). */
async function watchAddressChanges(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const changes: { at: number; href: string }[] = [];
    Object.defineProperty(window, '__addressChanges', { value: changes });
    for (const method of ['pushState', 'replaceState'] as const) {
      const original = history[method];
      history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
        original.apply(this, args);
        changes.push({ at: performance.now(), href: location.href });
      };
    }
  });
}

/** Static `import … from "./x.js"` and `export … from "./x.js"`; never `import("./x.js")`. */
const STATIC_IMPORT =
  /\b(?:import\s*(?:\{[^}]*\}\s*from\s*|\*\s*as\s+[\w$]+\s*from\s*|[\w$]+\s*from\s*)?|export\s*(?:\{[^}]*\}|\*)\s*from\s*)["']\.\/([^"']+\.js)["']/g;

/**
 * The files of a language's build that load before any of the portal's code runs: the scripts
 * index.html names and everything they import statically (index.html hints only some of them
 * with modulepreload). The token is taken out when the first of them runs, so only lazy
 * chunks and API calls must come after that.
 */
function initialModuleGraph(locale = DEFAULT_LOCALE): Set<string> {
  const dir = join(PORTAL_BUILD_DIR, locale);
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const pending = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
  const graph = new Set<string>();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (graph.has(file)) continue;
    graph.add(file);
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(STATIC_IMPORT))
      pending.push(m[1]);
  }
  return graph;
}

async function loadTimeline(page: Page): Promise<LoadTimeline> {
  const initial = [...initialModuleGraph()];
  return page.evaluate((initialFiles) => {
    const fromIndexHtml = new Set(
      [
        ...document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>(
          'script[src], link[href]',
        ),
      ].map((element) => ('src' in element ? element.src : element.href)),
    );
    for (const file of initialFiles) fromIndexHtml.add(new URL(file, document.baseURI).href);
    return {
      changes: (window as unknown as { __addressChanges: UrlChange[] }).__addressChanges,
      later: performance
        .getEntriesByType('resource')
        .filter((entry) => !fromIndexHtml.has(entry.name))
        .map((entry) => ({ name: entry.name, startTime: entry.startTime })),
    };
  }, initial);
}

test.describe('the reset token', () => {
  test('should leave the address bar, every later request and the page once the reset page loads', async ({
    page,
    stack,
    requestLog,
  }) => {
    const email = uniqueEmail('privacy');
    await stack.createUser(email, 'Pat Privacy');
    const { link, token } = await stack.requestResetLink(email);
    const seenFrom = stack.portal.seen.length;
    await watchAddressChanges(page);

    await openResetLink(page, link);
    expect(page.url()).toBe(`${stack.origin}${paths.resetPassword}`);
    await expect(page).toHaveURL(`${stack.origin}${paths.resetPassword}`);

    // Out of the address before anything else loads (docs/architecture.md §6): the first change of the
    // address drops the token, and precedes every lazy chunk and API call.
    const { changes, later } = await loadTimeline(page);
    expect(changes[0]?.href).toBe(`${stack.origin}${paths.resetPassword}`);
    expect(later.length).toBeGreaterThan(0);
    const loadedBefore = later.filter((entry) => entry.startTime <= (changes[0]?.at ?? 0));
    expect(loadedBefore, 'loaded while the token was in the address').toEqual([]);
    expect(await page.content()).not.toContain(token);
    const storage = await page.evaluate(() =>
      JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie]),
    );
    expect(storage).not.toContain(token);

    // Switching language reloads the page with the token in the fragment, which no request
    // carries (checked with the rest below), and takes it out of the address again.
    await page.getByLabel(t('en', 'language.label')).selectOption('de');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(controls(page, 'de').newPassword).toBeVisible();
    expect(page.url()).toBe(`${stack.origin}${paths.resetPassword}`);

    // Use the link to the end, so the reset request and the pages after it are covered too.
    await chooseNewPassword(page, GOOD_PASSWORD, GOOD_PASSWORD, 'de');
    await expect(controls(page, 'de').heading).toHaveText(t('de', 'reset.doneTitle'));
    await controls(page, 'de').signInLink.click();
    await expect(controls(page, 'de').heading).toHaveText(t('de', 'login.title'));
    expect(page.url()).not.toContain(token);

    const requests = await requestLog.requests();
    const [opening, ...afterOpening] = requests;
    // The one request that may carry the token is the emailed link itself, as opened.
    expect(opening).toMatchObject({ url: link, isNavigation: true });
    // Scripts, styles, lazy chunks and the API calls all came after it.
    expect(afterOpening.filter((r) => r.resourceType === 'script').length).toBeGreaterThan(1);
    expect(afterOpening.some((r) => r.url.endsWith('/api/v1/auth/reset-password'))).toBe(true);
    const leaks = requests.flatMap((request, index) => {
      const found: string[] = [];
      if (index > 0 && request.url.includes(token)) found.push(`URL of ${request.url}`);
      if (new URL(request.url).search.includes(token)) found.push(`query of ${request.url}`);
      for (const [name, value] of Object.entries(request.headers)) {
        if (value.includes(token)) found.push(`${name} header of ${request.method} ${request.url}`);
      }
      return found;
    });
    expect(leaks, 'requests that carried the token').toEqual([]);

    // What the static server received, favicon and anything Chromium does not report included:
    // two page loads (the link, the switch of language), one of them with the token.
    const seen = stack.portal.seen.slice(seenFrom);
    expect(seen.filter((r) => r.url === paths.resetPassword)).toHaveLength(1);
    expect(seen.filter((r) => r.url.includes(token))).toHaveLength(1);
    expect(seen.filter((r) => r.referer?.includes(token))).toEqual([]);
  });
});
