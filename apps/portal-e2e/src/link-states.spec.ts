import { API_PATHS } from '@account-recovery/contracts';

import { expect, test } from './support/fixtures';
import { controls, paths } from './support/portal';
import { GOOD_PASSWORD, uniqueEmail } from './support/stack';

test.describe('a reset link that cannot be used', () => {
  test('should say an expired link has expired and offer to request a new one', async ({
    page,
    stack,
  }) => {
    const ui = controls(page);
    // Invited and settled in before asking: the test moves the link's creation back an hour,
    // and an invitation still in the queue, no longer older than that link, would replace it.
    const { email } = await stack.createPersonWithPassword('expired');
    const { link } = await stack.requestResetLink(email);
    await stack.expireTokensOf(email);

    await page.goto(link);
    await expect(ui.heading).toHaveText('This link has expired');
    await expect(ui.alert).toContainText('Request a new link and use it soon after it arrives.');
    await expect(ui.newPassword).toHaveCount(0);
    await expect(page).toHaveURL(`${stack.origin}${paths.resetPassword}`);

    await ui.requestNewLink.click();
    await expect(page).toHaveURL(`${stack.origin}${paths.forgotPassword}`);
    await expect(ui.heading).toHaveText('Forgot your password?');
  });

  test('should say a used link has already been used', async ({ page, stack }) => {
    const ui = controls(page);
    const email = uniqueEmail('used');
    await stack.createUser(email, 'Uma Used');
    const { link, token } = await stack.requestResetLink(email);
    const reset = await stack.api.post(API_PATHS.resetPassword, {
      token,
      newPassword: GOOD_PASSWORD,
    });
    expect(reset.status).toBe(200);

    await page.goto(link);
    await expect(ui.heading).toHaveText('This link has already been used');
    await expect(ui.alert).toContainText('Each link works once.');
    await expect(ui.newPassword).toHaveCount(0);
    await expect(ui.requestNewLink).toBeVisible();
  });

  test('should call a made-up link not valid', async ({ page }) => {
    const ui = controls(page);
    await page.goto(`${paths.resetPassword}/${'A'.repeat(43)}`);
    await expect(ui.heading).toHaveText('This link is not valid');
    await expect(ui.newPassword).toHaveCount(0);
    await expect(ui.requestNewLink).toBeVisible();
  });
});
