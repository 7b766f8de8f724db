import { expect, test } from './support/fixtures';
import { controls, openResetLink } from './support/portal';
import { GOOD_PASSWORD, uniqueEmail } from './support/stack';

test.describe('choosing a new password', () => {
  test.beforeEach(async ({ page, stack }) => {
    const email = uniqueEmail('rules');
    await stack.createUser(email, 'Rue Rules');
    await openResetLink(page, (await stack.requestResetLink(email)).link);
  });

  test('should say when the confirmation differs from the new password', async ({ page }) => {
    const ui = controls(page);
    await ui.newPassword.fill(GOOD_PASSWORD);
    await ui.confirmPassword.fill(`${GOOD_PASSWORD}!`);
    await ui.setPassword.click();

    await expect(ui.alert).toHaveText('The passwords do not match.');
    await expect(ui.confirmPassword).toHaveAttribute('aria-invalid', 'true');
    await expect(ui.confirmPassword).toBeFocused();
    await expect(ui.heading).toHaveText('Choose a new password');

    await ui.confirmPassword.fill(GOOD_PASSWORD);
    await expect(ui.alert).toHaveCount(0);
  });

  test('should judge the length while typing and show the server verdict on a common password', async ({
    page,
  }) => {
    const ui = controls(page);
    const minLength = ui.rule('At least 15 characters');
    const common = ui.rule('Not a commonly used password');
    await expect(minLength).toHaveAttribute('data-state', 'unknown');

    // Live: the checklist follows the keystrokes, before the field is left or submitted.
    await ui.newPassword.pressSequentially('short1');
    await expect(minLength).toHaveAttribute('data-state', 'unmet');
    await expect(minLength).toContainText('Not met:');
    await ui.newPassword.pressSequentially('234567890');
    await expect(minLength).toHaveAttribute('data-state', 'met');
    await ui.newPassword.press('Backspace');
    await expect(minLength).toHaveAttribute('data-state', 'unmet');
    // Leaving the field turns the broken rule into a message.
    await ui.confirmPassword.focus();
    await expect(ui.alert).toHaveText('Use at least 15 characters.');
    await expect(ui.newPassword).toHaveAttribute('aria-invalid', 'true');

    // Long enough for the page; only the API knows it is common.
    await ui.newPassword.fill('passwordpassword');
    await ui.confirmPassword.fill('passwordpassword');
    await expect(ui.alert).toHaveCount(0);
    await expect(common).toHaveAttribute('data-state', 'unknown');
    await ui.setPassword.click();
    await expect(ui.alert).toHaveText(
      'This password is too common. Choose one that is harder to guess.',
    );
    await expect(common).toHaveAttribute('data-state', 'unmet');
    await expect(ui.newPassword).toBeFocused();

    // The verdict belongs to that password; the link still works for a better one.
    await ui.newPassword.fill(GOOD_PASSWORD);
    await expect(common).toHaveAttribute('data-state', 'unknown');
    await ui.confirmPassword.fill(GOOD_PASSWORD);
    await ui.setPassword.click();
    await expect(ui.heading).toHaveText('Password changed');
  });
});
