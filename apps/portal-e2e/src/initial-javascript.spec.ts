import { LOCALE_COOKIE, LOCALES } from '@account-recovery/contracts';

import type { Response } from '@playwright/test';

import { expect, test } from './support/fixtures';
import { controls, paths } from './support/portal';

/** The budget: at most 120 kB of JavaScript over the wire to show the sign-in page. */
const BUDGET_BYTES = 120 * 1024;

test.describe('initial load', () => {
  for (const locale of LOCALES) {
    test(`should transfer at most 120 kB of JavaScript to show the sign-in page in ${locale}`, async ({
      page,
      stack,
    }) => {
      await page.context().addCookies([{ name: LOCALE_COOKIE, value: locale, url: stack.origin }]);
      const scripts: Response[] = [];
      page.on('response', (response) => {
        if (new URL(response.url()).pathname.endsWith('.js')) scripts.push(response);
      });

      await page.goto(paths.login);
      // The page is usable: the lazy chunk of the sign-in page has loaded and rendered.
      await expect(controls(page, locale).signIn).toBeVisible();

      const measured = await Promise.all(
        scripts.map(async (response) => {
          const [sizes, body, encoding] = await Promise.all([
            response.request().sizes(),
            response.body(),
            response.headerValue('content-encoding'),
          ]);
          return {
            file: new URL(response.url()).pathname,
            transferred: sizes.responseBodySize,
            raw: body.length,
            encoding,
          };
        }),
      );
      const transferred = measured.reduce((sum, script) => sum + script.transferred, 0);
      const raw = measured.reduce((sum, script) => sum + script.raw, 0);
      console.log(
        `initial JavaScript of ${paths.login} in ${locale}: ${measured.length} files, ${transferred} bytes transferred ` +
          `(${(transferred / 1024).toFixed(1)} kB; ${raw} bytes uncompressed), budget ${BUDGET_BYTES}`,
      );

      // Something was measured, from this origin, and compressed as the production host does.
      expect(measured.length).toBeGreaterThan(1);
      expect(measured.every((script) => script.transferred > 0)).toBe(true);
      expect(scripts.every((response) => response.url().startsWith(stack.origin))).toBe(true);
      const large = measured.filter((script) => script.raw >= 1024);
      expect(large.length).toBeGreaterThan(0);
      expect(large.filter((script) => script.encoding !== 'gzip')).toEqual([]);
      expect(large.every((script) => script.transferred < script.raw)).toBe(true);

      expect(transferred).toBeLessThanOrEqual(BUDGET_BYTES);
    });
  }
});
