import { join } from 'node:path';

import { expect, type Page, type TestInfo } from '@playwright/test';

/**
 * Saves a full-page screenshot as `test-results/screenshots/<name>.png` (kept after the run,
 * unlike per-test output) and attaches it to the report. The page must not scroll sideways.
 */
export async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
  const path = join(testInfo.project.outputDir, 'screenshots', `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** Screenshots at desktop size and at 360 px, the narrowest phone the portal supports. */
export async function shootBothSizes(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await shoot(page, testInfo, `${name}-desktop`);
  const desktop = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  await shoot(page, testInfo, `${name}-mobile`);
  if (desktop !== null) await page.setViewportSize(desktop);
}
