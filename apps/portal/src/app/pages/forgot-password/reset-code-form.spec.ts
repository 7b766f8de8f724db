import { API_PATHS, ERROR_CODES, FORGOT_PASSWORD_MESSAGE } from '@account-recovery/contracts';

import { HttpHeaders } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';

import {
  apiError,
  buttonNamed,
  mustGetById,
  setUpPortal,
  submitButton,
  submitWith,
  textOf,
  typeInto,
} from '../../../testing/page-testing';
import { ResetTokenStore } from '../../password-reset/reset-token-store';
import { ForgotPasswordPage } from './forgot-password-page';

const EMAIL = 'someone@example.com';

describe('ForgotPasswordPage, "I have a code"', () => {
  async function openCodeForm() {
    const portal = await setUpPortal();
    await portal.harness.navigateByUrl('/forgot-password', ForgotPasswordPage);
    typeInto(mustGetById<HTMLInputElement>('forgot-email'), EMAIL);
    submitButton().click();
    await portal.harness.fixture.whenStable();
    portal.http
      .expectOne(API_PATHS.forgotPassword)
      .flush({ message: FORGOT_PASSWORD_MESSAGE }, { status: 202, statusText: 'Accepted' });
    await portal.harness.fixture.whenStable();
    buttonNamed('I have a code').click();
    await portal.harness.fixture.whenStable();
    return portal;
  }

  it('should offer the code after the neutral message, keeping the address', async () => {
    await openCodeForm();
    const title = mustGetById('forgot-title');
    expect(textOf(title)).toBe('Enter the code from the email');
    expect(document.activeElement).toBe(title);
    expect(mustGetById<HTMLInputElement>('reset-code-email').value).toBe(EMAIL);
    const code = mustGetById('reset-code');
    expect(code.getAttribute('inputmode')).toBe('numeric');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(code.getAttribute('dir')).toBe('ltr');
  });

  it('should trade the code for a token and open the reset page with it', async () => {
    const { harness, http, location } = await openCodeForm();
    await submitWith(harness, 'reset-code', '1234 5678');
    const request = http.expectOne(API_PATHS.resetPasswordCode);
    expect(request.request.body).toEqual({ email: EMAIL, code: '12345678' });
    request.flush({ token: 'token-from-code' });
    await harness.fixture.whenStable();

    expect(location.path()).toBe('/reset-password');
    const validate = http.expectOne(API_PATHS.validateResetToken);
    expect(validate.request.body).toEqual({ token: 'token-from-code' });
    expect(TestBed.inject(ResetTokenStore).current()).toBe('token-from-code');
  });

  it('should give one message for a refused code, next to the field', async () => {
    const { harness, http } = await openCodeForm();
    await submitWith(harness, 'reset-code', '12345678');
    http.expectOne(API_PATHS.resetPasswordCode).flush(...apiError(400, ERROR_CODES.CODE_INVALID));
    await harness.fixture.whenStable();

    const input = mustGetById('reset-code');
    expect(textOf(mustGetById('reset-code-error'))).toBe(
      'This code is wrong or has expired. Check the latest email, or request a new link.',
    );
    expect(textOf(document.body)).not.toMatch(/no account|not registered|unknown/i);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(input);
  });

  it('should check the code has 8 digits before sending', async () => {
    const { harness, http } = await openCodeForm();
    await submitWith(harness, 'reset-code', '123456');
    http.expectNone(API_PATHS.resetPasswordCode);
    expect(textOf(mustGetById('reset-code-error'))).toBe('The code has 8 digits.');
  });

  it('should say when to try again after a rate limit', async () => {
    const { harness, http } = await openCodeForm();
    await submitWith(harness, 'reset-code', '12345678');
    http.expectOne(API_PATHS.resetPasswordCode).flush(
      { statusCode: 429, code: ERROR_CODES.RATE_LIMITED, message: 'x' },
      {
        status: 429,
        statusText: 'Too Many Requests',
        headers: new HttpHeaders({ 'Retry-After': '20' }),
      },
    );
    await harness.fixture.whenStable();
    const result = mustGetById('reset-code-result');
    expect(textOf(result)).toBe('Too many attempts — try again in 20 seconds.');
    expect(document.activeElement).toBe(result);
  });
});
