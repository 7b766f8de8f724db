import { expectNoSeriousViolations } from './support/axe';
import { expect, test } from './support/fixtures';
import { chooseNewPassword, controls, requestLinkInPortal, signIn } from './support/portal';
import { resetCodeFrom } from './support/second-factor';
import { uniqueEmail } from './support/stack';

const NEW_PASSWORD = 'amber glacier hums in october';
const WRONG_CODE_MESSAGE =
  'This code is wrong or has expired. Check the latest email, or request a new link.';

test.describe('recovery with the emailed code', () => {
  test('should trade the 8-digit code of the reset email for the reset page on this device', async ({
    page,
    stack,
  }) => {
    const ui = controls(page);
    const person = await stack.createPersonWithPassword('code');
    const after = stack.mail.mark();
    await requestLinkInPortal(page, person.email);
    await ui.haveCode.click();
    await expect(ui.heading).toHaveText('Enter the code from the email');
    await expect(ui.heading).toBeFocused();
    await expect(ui.email).toHaveValue(person.email);
    await expectNoSeriousViolations(page, 'code entry');

    const code = resetCodeFrom(await stack.resetMailFor(person.email, after));
    const wrong = code === '00000000' ? '11111111' : '00000000';
    await ui.emailCode.fill(wrong);
    await ui.continue.click();
    await expect(ui.fieldAlert('reset-code')).toHaveText(WRONG_CODE_MESSAGE);
    await expect(ui.emailCode).toBeFocused();
    await expectNoSeriousViolations(page, 'code entry with a wrong code');

    await ui.emailCode.fill(code);
    await ui.continue.click();
    await expect(ui.heading).toHaveText('Choose a new password');
    await chooseNewPassword(page, NEW_PASSWORD);
    await expect(ui.heading).toHaveText('Password changed');
    await signIn(page, { email: person.email, password: NEW_PASSWORD });
  });

  test('should answer for an address without an account exactly as for a wrong code', async ({
    page,
  }) => {
    const ui = controls(page);
    await requestLinkInPortal(page, uniqueEmail('nobody'));
    await ui.haveCode.click();
    await ui.emailCode.fill('12345678');
    await ui.continue.click();
    await expect(ui.fieldAlert('reset-code')).toHaveText(WRONG_CODE_MESSAGE);
  });
});
