import { expectNoSeriousViolations } from './support/axe';
import { expect, test } from './support/fixtures';
import { chooseNewPassword, controls, enterPassword, requestLinkInPortal } from './support/portal';
import { enrolByApi } from './support/second-factor';

/** Not the password the person has (the API may refuse a recent one). */
const NEW_PASSWORD = 'amber glacier hums in october';

test.describe('password reset with a second factor', () => {
  test('should ask for the authenticator before the new password, and again after a wrong code', async ({
    page,
    stack,
  }) => {
    test.setTimeout(150_000);
    const ui = controls(page);
    const person = await stack.createPersonWithPassword('factor');
    const { authenticator } = await enrolByApi(stack, person);

    const after = stack.mail.mark();
    await requestLinkInPortal(page, person.email);
    const { link } = await stack.resetLinkFor(person.email, after);
    await page.goto(link);
    await expect(ui.heading).toHaveText('Confirm it is you');
    await expect(ui.newPassword).toHaveCount(0);
    await expectNoSeriousViolations(page, 'reset code step');

    // A wrong code is only found out with the reset itself: back to the code, password kept.
    await ui.authCode.fill(authenticator.wrongCode());
    await ui.continue.click();
    await expect(ui.heading).toHaveText('Choose a new password');
    await chooseNewPassword(page, NEW_PASSWORD);
    await expect(ui.heading).toHaveText('Confirm it is you');
    await expect(ui.fieldAlert('reset-totp-code')).toContainText('This code is not right');
    await expect(ui.authCode).toBeFocused();
    await expectNoSeriousViolations(page, 'reset code step with a wrong code');

    await ui.authCode.fill(await authenticator.nextCode());
    await ui.continue.click();
    await expect(ui.heading).toHaveText('Password changed');

    await enterPassword(page, { email: person.email, password: NEW_PASSWORD });
    await ui.authCode.fill(await authenticator.nextCode());
    await ui.verify.click();
    await expect(ui.signedInUser).toContainText(person.email);
  });

  test('should say the link no longer works once five wrong codes closed it, and the email says why', async ({
    page,
    stack,
  }) => {
    const ui = controls(page);
    const person = await stack.createPersonWithPassword('locked');
    const { authenticator } = await enrolByApi(stack, person);
    const after = stack.mail.mark();
    await page.goto((await stack.requestResetLink(person.email)).link);

    await ui.authCode.fill(authenticator.wrongCode());
    await ui.continue.click();
    await chooseNewPassword(page, NEW_PASSWORD);
    // Four more: the page sends each at once with the password already chosen.
    for (let tries = 2; tries <= 5; tries++) {
      await expect(ui.fieldAlert('reset-totp-code')).toContainText('This code is not right');
      await ui.authCode.fill(authenticator.wrongCode());
      await ui.continue.click();
    }
    await expect(ui.fieldAlert('reset-totp-code')).toContainText('This code is not right');
    await stack.mail.waitFor(person.email, {
      after,
      predicate: (mail) => mail.subject.includes('password reset was stopped'),
    });

    await ui.authCode.fill(await authenticator.nextCode());
    await ui.continue.click();
    await expect(ui.heading).toHaveText('This link no longer works');
    await expect(ui.requestNewLink).toBeVisible();
    await expectNoSeriousViolations(page, 'reset link closed after wrong codes');
  });
});
