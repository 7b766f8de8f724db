import { readFile } from 'node:fs/promises';

import { TestAuthenticator } from '@account-recovery/testing';

import { expectNoSeriousViolations } from './support/axe';
import { expect, test } from './support/fixtures';
import { controls, enterPassword, signIn } from './support/portal';
import { shootBothSizes } from './support/screenshots';

const RECOVERY_CODE = /^[A-Z0-9]{5}-[A-Z0-9]{5}$/;

test.describe('second factor on the account page', () => {
  test('should add an authenticator from its QR code and key, then sign in with its code and with a recovery code', async ({
    page,
    stack,
  }, testInfo) => {
    // Each code must come from a later 30-second step than the one before.
    test.setTimeout(150_000);
    const ui = controls(page);
    const main = page.getByRole('main');
    const person = await stack.createPersonWithPassword('enrol');
    await signIn(page, person);
    await expect(main.getByTestId('mfa-status')).toContainText('Off');

    await main.getByRole('button', { name: 'Add an authenticator' }).click();
    await expect(ui.sectionHeading).toHaveText('Add an authenticator');
    await expect(ui.sectionHeading).toBeFocused();
    const qrCode = main.getByRole('img', { name: 'QR code for your authenticator app' });
    await expect(qrCode).toBeVisible();
    // Drawn here, as an image the CSP allows: decoded, with a size, and nothing was refused.
    expect(await qrCode.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await qrCode.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    await shootBothSizes(page, testInfo, 'enrolment-qr-code');
    await expectNoSeriousViolations(page, 'enrolment with the QR code');

    const key = (await main.getByTestId('totp-key').textContent()) ?? '';
    expect(key).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
    const authenticator = new TestAuthenticator(key.replace(/\s/g, ''));
    const codeFromApp = main.getByLabel('Code from the app', { exact: true });

    await codeFromApp.fill(authenticator.wrongCode());
    await main.getByRole('button', { name: 'Turn on' }).click();
    await expect(ui.fieldAlert('enrol-code')).toContainText('This code is not right.');
    await expect(codeFromApp).toBeFocused();
    await expectNoSeriousViolations(page, 'enrolment with a wrong code');

    await codeFromApp.fill(await authenticator.nextCode());
    await main.getByRole('button', { name: 'Turn on' }).click();
    await expect(ui.sectionHeading).toHaveText('Save your recovery codes');
    const codes = await main.getByTestId('recovery-codes').getByRole('listitem').allTextContents();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code.trim()).toMatch(RECOVERY_CODE);
    await shootBothSizes(page, testInfo, 'enrolment-recovery-codes');
    await expectNoSeriousViolations(page, 'recovery codes shown');

    const download = page.waitForEvent('download');
    await main.getByRole('button', { name: 'Download as a text file' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('account-recovery-codes.txt');
    const text = await readFile(await file.path(), 'utf8');
    for (const code of codes) expect(text).toContain(code.trim());

    await main.getByRole('button', { name: 'I have saved my codes' }).click();
    await expect(ui.status).toContainText('Two-step verification is on.');
    await expect(main.getByTestId('mfa-status')).toContainText('10 left');

    // The next sign-in asks for the authenticator.
    await ui.signOut.click();
    await enterPassword(page, person);
    await expect(ui.heading).toHaveText('Enter your authentication code');
    await expect(ui.heading).toBeFocused();
    await expectNoSeriousViolations(page, 'sign-in second step');
    await ui.authCode.fill(authenticator.wrongCode());
    await ui.verify.click();
    await expect(ui.fieldAlert('login-totp-code')).toHaveText(
      'This code is not right, or it was already used. Check it and try again.',
    );
    await expectNoSeriousViolations(page, 'sign-in second step with a wrong code');
    await ui.authCode.fill(await authenticator.nextCode());
    await ui.verify.click();
    await expect(ui.signedInUser).toContainText(person.email);

    // And a recovery code, typed as people do, works once in its place.
    await ui.signOut.click();
    await enterPassword(page, person);
    await ui.useRecoveryCode.click();
    await expect(ui.recoveryCode).toBeFocused();
    await expectNoSeriousViolations(page, 'sign-in with a recovery code');
    await ui.recoveryCode.fill((codes[0] ?? '').trim().replace('-', ' ').toLowerCase());
    await ui.verify.click();
    await expect(ui.signedInUser).toContainText(person.email);
    await expect(main.getByTestId('mfa-status')).toContainText('9 left');
  });
});
