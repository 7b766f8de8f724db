import { expect, test } from './support/fixtures';
import { controls, openResetLink, paths, signIn } from './support/portal';
import { shoot } from './support/screenshots';
import { uniqueEmail } from './support/stack';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'mobile', width: 360, height: 740 },
] as const;

test.describe('screenshots', () => {
  for (const viewport of VIEWPORTS) {
    test(`should show every page at ${viewport.name} size (${viewport.width}×${viewport.height})`, async ({
      page,
      stack,
    }, testInfo) => {
      const ui = controls(page);
      await page.setViewportSize({ width: viewport.width, height: viewport.height });

      await page.goto(paths.login);
      await expect(ui.signIn).toBeVisible();
      await shoot(page, testInfo, `login-${viewport.name}`);

      await page.goto(paths.forgotPassword);
      await expect(ui.sendLink).toBeVisible();
      await shoot(page, testInfo, `forgot-password-${viewport.name}`);

      const email = uniqueEmail('shots');
      await stack.createUser(email, 'Sam Shots');
      await openResetLink(page, (await stack.requestResetLink(email)).link);
      await shoot(page, testInfo, `reset-password-${viewport.name}`);

      const person = await stack.createPersonWithPassword('shots');
      await signIn(page, person);
      await expect(ui.signedInUser).toContainText(person.displayName);
      await shoot(page, testInfo, `home-${viewport.name}`);
    });
  }
});
