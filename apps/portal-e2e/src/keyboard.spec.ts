import { expect, test } from './support/fixtures';
import { tabTo } from './support/keyboard';
import { controls, LINK_SENT_MESSAGE, paths } from './support/portal';
import { GOOD_PASSWORD, uniqueEmail } from './support/stack';

test.describe('keyboard only', () => {
  test('should take a person from forgot-password to signed in and out with Tab, Shift+Tab, Enter and Space', async ({
    page,
    stack,
  }) => {
    const ui = controls(page);
    const email = uniqueEmail('keys');
    await stack.createUser(email, 'Kim Keys');

    // Forgot password: Tab into the field, type, Enter submits.
    await page.goto(paths.forgotPassword);
    const after = stack.mail.mark();
    await tabTo(page, ui.email);
    await page.keyboard.type(email);
    await page.keyboard.press('Enter');
    await expect(ui.status).toContainText(LINK_SENT_MESSAGE);
    // The result takes the focus, so a screen reader reads it next.
    await expect(page.locator('#forgot-result')).toBeFocused();

    // The emailed link, opened from the mail program.
    const { link } = await stack.resetLinkFor(email, after);
    await page.goto(link);
    await tabTo(page, ui.newPassword);
    await page.keyboard.type(GOOD_PASSWORD);
    // Space on the toggle reveals the password; Shift+Tab goes back to the field.
    await tabTo(page, ui.showNewPassword);
    await page.keyboard.press('Space');
    await expect(ui.newPassword).toHaveAttribute('type', 'text');
    await tabTo(page, ui.newPassword, { backwards: true });
    await tabTo(page, ui.confirmPassword);
    await page.keyboard.type(GOOD_PASSWORD);
    await page.keyboard.press('Enter');
    await expect(ui.heading).toHaveText('Password changed');
    await expect(page.locator('#reset-result')).toBeFocused();

    // On to sign-in by the link, with Enter.
    await tabTo(page, ui.signInLink);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(`${stack.origin}${paths.login}`);
    // An in-app navigation puts the focus on the new page's heading.
    await expect(ui.heading).toBeFocused();
    await tabTo(page, ui.email);
    await page.keyboard.type(email);
    await tabTo(page, ui.password);
    await page.keyboard.type(GOOD_PASSWORD);
    await page.keyboard.press('Enter');
    await expect(ui.signedInUser).toContainText(email);

    // Sign out with Space on the button.
    await tabTo(page, ui.signOut);
    await page.keyboard.press('Space');
    await expect(page).toHaveURL(`${stack.origin}${paths.login}`);
    await expect(ui.heading).toHaveText('Sign in');
  });
});
