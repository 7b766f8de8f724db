import { expectNoSeriousViolations } from './support/axe';
import { expect, test } from './support/fixtures';
import {
  chooseNewPassword,
  controls,
  LINK_SENT_MESSAGE,
  openResetLink,
  paths,
  signIn,
} from './support/portal';
import { GOOD_PASSWORD, uniqueEmail } from './support/stack';

test.describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
  test('should have no serious violations on the sign-in page, empty and with errors', async ({
    page,
  }) => {
    const ui = controls(page);
    await page.goto(paths.login);
    await expect(ui.signIn).toBeVisible();
    await expectNoSeriousViolations(page, 'sign-in');

    await ui.signIn.click();
    await expect(ui.alert).toHaveCount(2);
    await expectNoSeriousViolations(page, 'sign-in with field errors');

    await ui.email.fill(uniqueEmail('nobody'));
    await ui.password.fill('not the password at all');
    await ui.signIn.click();
    await expect(ui.alert).toHaveText('Email or password is incorrect.');
    await expectNoSeriousViolations(page, 'sign-in refused');
  });

  test('should have no serious violations on the forgot-password page, empty, with an error and sent', async ({
    page,
  }) => {
    const ui = controls(page);
    await page.goto(paths.forgotPassword);
    await expect(ui.sendLink).toBeVisible();
    await expectNoSeriousViolations(page, 'forgot-password');

    await ui.email.fill('not an address');
    await ui.sendLink.click();
    await expect(ui.alert).toContainText('Enter a valid email address');
    await expectNoSeriousViolations(page, 'forgot-password with an invalid address');

    await ui.email.fill(uniqueEmail('nobody'));
    await ui.sendLink.click();
    await expect(ui.status).toContainText(LINK_SENT_MESSAGE);
    await expectNoSeriousViolations(page, 'forgot-password sent');
  });

  test('should have no serious violations on the reset page, with a valid link, errors, done and a bad link', async ({
    page,
    stack,
  }) => {
    const ui = controls(page);
    const email = uniqueEmail('axe');
    await stack.createUser(email, 'Axel Axe');
    await openResetLink(page, (await stack.requestResetLink(email)).link);
    await expectNoSeriousViolations(page, 'reset with a valid link');

    await chooseNewPassword(page, 'short', 'different');
    await expect(ui.alert).toHaveCount(2);
    await expectNoSeriousViolations(page, 'reset with a short password and a mismatch');

    await chooseNewPassword(page, 'passwordpassword');
    await expect(ui.alert).toContainText('This password is too common.');
    await expectNoSeriousViolations(page, 'reset with a common password');

    await chooseNewPassword(page, GOOD_PASSWORD);
    await expect(ui.heading).toHaveText('Password changed');
    await expectNoSeriousViolations(page, 'reset done');

    await page.goto(`${paths.resetPassword}/${'A'.repeat(43)}`);
    await expect(ui.heading).toHaveText('This link is not valid');
    await expectNoSeriousViolations(page, 'reset with an invalid link');
  });

  test('should have no serious violations on the signed-in page', async ({ page, stack }) => {
    const person = await stack.createPersonWithPassword('axe');
    await signIn(page, person);
    await expect(controls(page).signedInUser).toContainText(person.displayName);
    await expectNoSeriousViolations(page, 'signed-in page');
  });
});
