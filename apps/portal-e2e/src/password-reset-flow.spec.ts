import type { Page } from '@playwright/test';

import { expect, test } from './support/fixtures';
import { chooseNewPassword, controls, paths, requestLinkInPortal } from './support/portal';
import { GOOD_PASSWORD, uniqueEmail, type Stack } from './support/stack';

const escapeRegExp = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** forgot-password → the emailed link → new password → sign-in → signed-in page → sign-out. */
async function walkThroughTheFlow(page: Page, stack: Stack, prefix: string): Promise<void> {
  const ui = controls(page);
  const email = uniqueEmail(prefix);
  const displayName = 'Ada Flow';
  await stack.createUser(email, displayName);

  const after = stack.mail.mark();
  await requestLinkInPortal(page, email);
  await expect(ui.heading).toHaveText('Check your email');

  const { link } = await stack.resetLinkFor(email, after);
  expect(link).toMatch(
    new RegExp(`^${escapeRegExp(stack.origin)}${paths.resetPassword}/[A-Za-z0-9_-]{43}$`),
  );
  await page.goto(link);
  await expect(ui.heading).toHaveText('Choose a new password');
  await chooseNewPassword(page, GOOD_PASSWORD);

  await expect(ui.heading).toHaveText('Password changed');
  await expect(ui.status).toContainText('You can now sign in with your new password.');
  await expect(page.getByText('You will be taken to the sign-in page in 8 seconds.')).toBeVisible();
  await ui.signInLink.click();
  await expect(page).toHaveURL(`${stack.origin}${paths.login}`);

  await ui.email.fill(email);
  await ui.password.fill(GOOD_PASSWORD);
  await ui.signIn.click();
  await expect(page).toHaveURL(`${stack.origin}${paths.home}`);
  await expect(ui.signedInUser).toContainText(email);
  await expect(ui.signedInUser).toContainText(displayName);

  await ui.signOut.click();
  await expect(page).toHaveURL(`${stack.origin}${paths.login}`);
  // The session is gone, not just hidden: the signed-in page sends us back to sign in.
  await page.goto(paths.home);
  await expect(page).toHaveURL(`${stack.origin}${paths.login}`);
  await expect(ui.heading).toHaveText('Sign in');
}

test.describe('password reset in the portal', () => {
  test('should take a person from forgot-password through the emailed link to a signed-in page and out again', async ({
    page,
    stack,
  }) => {
    await walkThroughTheFlow(page, stack, 'flow');
  });

  test('should show the same neutral message for an address without an account', async ({
    page,
  }) => {
    await requestLinkInPortal(page, uniqueEmail('nobody'));
    await expect(controls(page).heading).toHaveText('Check your email');
  });

  test('should make no request to any host other than the portal origin during the whole flow', async ({
    page,
    stack,
    requestLog,
  }) => {
    await walkThroughTheFlow(page, stack, 'origin');

    const requests = await requestLog.requests();
    // The flow went through the proxy: the check has something to look at.
    expect(requests.filter((r) => r.url.startsWith(`${stack.origin}/api/`)).length).toBeGreaterThan(
      3,
    );
    const elsewhere = requests
      .filter((r) => new URL(r.url).origin !== stack.origin)
      .map((r) => `${r.method} ${r.url}`);
    expect(elsewhere, 'requests to other hosts').toEqual([]);
    expect(requestLog.blockedByCsp, 'loads the Content-Security-Policy refused').toEqual([]);
  });
});
