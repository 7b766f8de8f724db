import {
  API_PATHS,
  ERROR_CODES,
  PASSWORD_RULES,
  RESET_PASSWORD_MESSAGE,
} from '@account-recovery/contracts';

import {
  apiError,
  buttonNamed,
  byId,
  mustGetById,
  submitButton,
  submitWith,
  textOf,
  typeInto,
} from '../../../testing/page-testing';
import { openFromEmailLink, STRONG, TOKEN, validAnswer } from '../../../testing/reset-page-testing';

describe('ResetPasswordPage with a second factor', () => {
  async function openAtCodeStep() {
    const portal = await openFromEmailLink();
    portal.http.expectOne(API_PATHS.validateResetToken).flush(validAnswer({ withFactor: true }));
    await portal.harness.fixture.whenStable();
    return portal;
  }

  async function choosePassword(harness: Awaited<ReturnType<typeof openAtCodeStep>>['harness']) {
    typeInto(mustGetById<HTMLInputElement>('reset-new-password'), STRONG);
    typeInto(mustGetById<HTMLInputElement>('reset-confirm-password'), STRONG);
    submitButton().click();
    await harness.fixture.whenStable();
  }

  it('should ask for the code first, as a one-time code field, then for the password', async () => {
    const { harness, http } = await openAtCodeStep();
    expect(textOf(mustGetById('reset-title'))).toBe('Confirm it is you');
    expect(byId('reset-new-password')).toBeNull();
    const code = mustGetById<HTMLInputElement>('reset-totp-code');
    expect(textOf(document.querySelector('label[for="reset-totp-code"]'))).toBe(
      'Authentication code',
    );
    expect(code.getAttribute('inputmode')).toBe('numeric');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(code.getAttribute('dir')).toBe('ltr');
    expect(code.getAttribute('aria-describedby')).toBe('reset-totp-code-hint');

    await submitWith(harness, 'reset-totp-code', ' 123 456 ');
    http.expectNone(API_PATHS.resetPassword);
    expect(document.activeElement).toBe(mustGetById('reset-title'));
    expect(textOf(mustGetById('reset-title'))).toBe('Choose a new password');

    await choosePassword(harness);
    const request = http.expectOne(API_PATHS.resetPassword);
    expect(request.request.body).toEqual({
      token: TOKEN,
      newPassword: STRONG,
      secondFactor: { code: '123456' },
    });
    request.flush({ message: RESET_PASSWORD_MESSAGE });
    await harness.fixture.whenStable();
    expect(textOf(mustGetById('reset-result'))).toContain('Password changed');
  });

  it('should check the shape of the code before going on', async () => {
    const { harness } = await openAtCodeStep();
    await submitWith(harness, 'reset-totp-code', '12345');
    expect(textOf(mustGetById('reset-totp-code-error'))).toBe('The code has 6 digits.');
    expect(document.activeElement).toBe(mustGetById('reset-totp-code'));
    expect(byId('reset-new-password')).toBeNull();
  });

  it('should come back to the code on a wrong code and resend with the password kept', async () => {
    const { harness, http } = await openAtCodeStep();
    await submitWith(harness, 'reset-totp-code', '111111');
    await choosePassword(harness);
    http.expectOne(API_PATHS.resetPassword).flush(...apiError(400, ERROR_CODES.MFA_CODE_INVALID));
    await harness.fixture.whenStable();

    const code = mustGetById<HTMLInputElement>('reset-totp-code');
    expect(textOf(mustGetById('reset-totp-code-error'))).toBe(
      'This code is not right, or it was already used. Enter the code your app shows now.',
    );
    expect(code.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(code);

    await submitWith(harness, 'reset-totp-code', '222222');
    const retry = http.expectOne(API_PATHS.resetPassword);
    expect(retry.request.body).toEqual({
      token: TOKEN,
      newPassword: STRONG,
      secondFactor: { code: '222222' },
    });
  });

  it('should send a recovery code in its one written form', async () => {
    const { harness, http } = await openAtCodeStep();
    buttonNamed('Use a recovery code instead').click();
    await harness.fixture.whenStable();
    const input = mustGetById<HTMLInputElement>('reset-recovery-code');
    expect(input.getAttribute('autocomplete')).toBe('off');
    expect(document.activeElement).toBe(input);
    typeInto(input, 'abcde 23456');
    submitButton().click();
    await harness.fixture.whenStable();
    await choosePassword(harness);
    expect(http.expectOne(API_PATHS.resetPassword).request.body.secondFactor).toEqual({
      code: 'ABCDE-23456',
    });
  });

  it('should say why a link stopped working after wrong codes', async () => {
    const { harness, http } = await openAtCodeStep();
    await submitWith(harness, 'reset-totp-code', '111111');
    await choosePassword(harness);
    http.expectOne(API_PATHS.resetPassword).flush(...apiError(400, ERROR_CODES.MFA_CODE_INVALID));
    await harness.fixture.whenStable();
    await submitWith(harness, 'reset-totp-code', '222222');
    http.expectOne(API_PATHS.resetPassword).flush(...apiError(400, ERROR_CODES.TOKEN_INVALID));
    await harness.fixture.whenStable();

    const result = mustGetById('reset-result');
    expect(textOf(result.querySelector('h1'))).toBe('This link no longer works');
    expect(textOf(result)).toContain('After too many wrong codes');
    expect(document.activeElement).toBe(result);
  });

  it('should name the recently-used and breached rules from the API', async () => {
    const { harness, http } = await openAtCodeStep();
    await submitWith(harness, 'reset-totp-code', '123456');
    await choosePassword(harness);
    http.expectOne(API_PATHS.resetPassword).flush(
      {
        statusCode: 400,
        code: ERROR_CODES.PASSWORD_POLICY,
        message: 'Password policy',
        rules: [PASSWORD_RULES.RECENTLY_USED, PASSWORD_RULES.BREACHED],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await harness.fixture.whenStable();

    const messages = Array.from(mustGetById('reset-new-password-error').querySelectorAll('p'));
    expect(messages.map(textOf)).toEqual([
      'You have used this password recently. Choose one you have not used before.',
      'This password appears in a known data breach, so attackers try it. Choose a different one.',
    ]);
    const states = Array.from(document.querySelectorAll('#reset-policy li')).map((li) =>
      li.getAttribute('data-state'),
    );
    expect(states).toEqual(['met', 'met', 'unknown', 'unknown', 'unmet', 'unmet']);
  });
});
