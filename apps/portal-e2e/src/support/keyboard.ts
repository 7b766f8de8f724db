import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Presses Tab (or Shift+Tab) until `target` has focus, as a keyboard user would, and checks
 * that the focus is visible there (WCAG 2.4.7).
 */
export async function tabTo(
  page: Page,
  target: Locator,
  { backwards = false } = {},
): Promise<void> {
  await expect(target).toBeVisible();
  const key = backwards ? 'Shift+Tab' : 'Tab';
  for (let presses = 0; presses < 12; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) break;
    await page.keyboard.press(key);
  }
  await expect(target, `${target.toString()} reached with ${key}`).toBeFocused();
  expect(
    await target.evaluate((element) => {
      const style = getComputedStyle(element);
      return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    }),
    `focus indicator on ${target.toString()}`,
  ).toBe(true);
}
