/**
 * Phase `portal`: the portal's initial JavaScript, gzip-compressed as a server sends it:
 * every script and modulepreload the built index.html names (lazy chunks excluded), in each
 * language's build (dist/apps/portal/browser/<locale>/); the largest is the one judged.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const needsSystems = false;

export async function run({ root, results, log }) {
  const browser = join(root, 'dist/apps/portal/browser');
  const locales = readdirSync(browser).filter((name) =>
    statSync(join(browser, name, 'index.html'), { throwIfNoEntry: false })?.isFile(),
  );
  const measured = locales.map((locale) => ({ locale, ...measure(join(browser, locale)) }));
  const largest = measured.reduce((a, b) => (b.gzipBytes > a.gzipBytes ? b : a));
  results.phases.portal = {
    ...largest,
    gzipKb: largest.gzipBytes / 1000,
    byLocale: Object.fromEntries(measured.map((m) => [m.locale, m.gzipBytes])),
  };
  log(
    'portal',
    `${largest.files.length} initial JS files, largest in ${largest.locale}: ${(largest.rawBytes / 1000).toFixed(1)} kB raw, ${(largest.gzipBytes / 1000).toFixed(1)} kB gzip (${measured.map((m) => `${m.locale} ${(m.gzipBytes / 1000).toFixed(1)}`).join(', ')})`,
  );
}

function measure(dir) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const files = new Set();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) files.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    if (!/\brel="modulepreload"/.test(m[0])) continue;
    const href = /\bhref="([^"]+)"/.exec(m[0])?.[1];
    if (href) files.add(href);
  }
  const entries = [...files].map((f) => {
    const body = readFileSync(join(dir, f.replace(/^\//, '')));
    return { file: f, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
  });
  const gzipBytes = entries.reduce((s, e) => s + e.gzipBytes, 0);
  const rawBytes = entries.reduce((s, e) => s + e.bytes, 0);
  return { files: entries, rawBytes, gzipBytes };
}

export function rows({ portal }, budget) {
  if (!portal) return [];
  return [
    {
      name: 'portal initial JS (gzip)',
      value: portal.gzipKb,
      display: `${portal.gzipKb.toFixed(1)} kB (${portal.files.length} files, ${portal.locale})`,
      budget: `≤ ${budget.portalKb} kB`,
      pass: portal.gzipKb <= budget.portalKb,
    },
  ];
}
