import {
  API_PATHS,
  ERROR_CODES,
  PASSWORD_RULES,
  RESET_PASSWORD_MESSAGE,
  type TokenErrorCode,
} from '@account-recovery/contracts';

import { Location } from '@angular/common';
import { HttpHeaders, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import {
  byId,
  mustGetById,
  setUpPortal,
  submitButton,
  TEST_REDIRECT_DELAY_MS,
  textOf,
  typeInto,
  wait,
} from '../../../testing/page-testing';
import {
  openFromEmailLink,
  SERVER_MIN_LENGTH,
  STRONG,
  TOKEN,
  validAnswer,
} from '../../../testing/reset-page-testing';
import { ResetTokenStore } from '../../password-reset/reset-token-store';
import { ResetPasswordPage } from './reset-password-page';

describe('ResetPasswordPage', () => {
  /** The path in the address bar at the moment each API request leaves. */
  let pathsAtRequest: string[];
  const recordPath: HttpInterceptorFn = (request, next) => {
    pathsAtRequest.push(inject(Location).path());
    return next(request);
  };

  beforeEach(() => {
    pathsAtRequest = [];
  });

  async function openReady() {
    const portal = await openFromEmailLink();
    portal.http.expectOne(API_PATHS.validateResetToken).flush(validAnswer());
    await portal.harness.fixture.whenStable();
    return {
      ...portal,
      newPassword: mustGetById<HTMLInputElement>('reset-new-password'),
      confirm: mustGetById<HTMLInputElement>('reset-confirm-password'),
    };
  }

  function tokenError(code: TokenErrorCode) {
    return [
      { statusCode: 400, code, message: code },
      { status: 400, statusText: 'Bad Request' },
    ] as const;
  }

  it('should take the token out of the address before asking the API about it', async () => {
    const portal = await openFromEmailLink({ observers: [recordPath] });

    const request = portal.http.expectOne(API_PATHS.validateResetToken);
    expect(request.request.body).toEqual({ token: TOKEN });
    expect(pathsAtRequest).toEqual(['/reset-password']);
    expect(portal.location.path()).toBe('/reset-password');
    expect(TestBed.inject(ResetTokenStore).current()).toBe(TOKEN);
  });

  it('should show the checking state until the API answers, then the form', async () => {
    const { harness, http } = await openFromEmailLink();
    expect(textOf(document.querySelector('[role="status"]'))).toBe('Checking your link…');
    http.expectOne(API_PATHS.validateResetToken).flush(validAnswer());
    await harness.fixture.whenStable();
    expect(byId('reset-new-password')).not.toBeNull();
    expect(textOf(document.querySelector('label[for="reset-new-password"]'))).toBe('New password');
    expect(textOf(document.querySelector('label[for="reset-confirm-password"]'))).toBe(
      'Confirm new password',
    );
  });

  it('should show the invalid-link state without any request when no token is in memory', async () => {
    const { harness, http } = await setUpPortal();
    await harness.navigateByUrl('/reset-password', ResetPasswordPage);
    http.expectNone(API_PATHS.validateResetToken);
    expect(textOf(mustGetById('reset-result'))).toContain('This link is not valid');
    expect(document.querySelector('a[href="/forgot-password"]')?.textContent).toContain(
      'Request a new link',
    );
  });

  it.each([
    [ERROR_CODES.TOKEN_EXPIRED, 'This link has expired'],
    [ERROR_CODES.TOKEN_USED, 'This link has already been used'],
    [ERROR_CODES.TOKEN_INVALID, 'This link is not valid'],
  ] as const)('should say which: %s on validation shows "%s"', async (code, title) => {
    const { harness, http } = await openFromEmailLink();
    http.expectOne(API_PATHS.validateResetToken).flush(...tokenError(code));
    await harness.fixture.whenStable();

    const result = mustGetById('reset-result');
    expect(textOf(result.querySelector('h1'))).toBe(title);
    expect(result.getAttribute('role')).toBe('alert');
    expect(document.activeElement).toBe(result);
    expect(byId('reset-new-password')).toBeNull();
    const requestNewLink = document.querySelector<HTMLAnchorElement>('a[href="/forgot-password"]');
    expect(textOf(requestNewLink)).toBe('Request a new link');
    expect(TestBed.inject(ResetTokenStore).current()).toBeNull();
  });

  it('should treat a validation 400 without a token code as an invalid link', async () => {
    const { harness, http } = await openFromEmailLink();
    http
      .expectOne(API_PATHS.validateResetToken)
      .flush(
        { statusCode: 400, code: 'VALIDATION_FAILED', message: 'x', errors: { token: ['bad'] } },
        { status: 400, statusText: 'Bad Request' },
      );
    await harness.fixture.whenStable();
    expect(textOf(mustGetById('reset-result'))).toContain('This link is not valid');
  });

  it('should offer to try again when the check is rate limited', async () => {
    const { harness, http } = await openFromEmailLink();
    http.expectOne(API_PATHS.validateResetToken).flush(
      { statusCode: 429, code: 'RATE_LIMITED', message: 'x' },
      {
        status: 429,
        statusText: 'Too Many Requests',
        headers: new HttpHeaders({ 'Retry-After': '7' }),
      },
    );
    await harness.fixture.whenStable();
    expect(textOf(mustGetById('reset-result'))).toBe('Too many attempts — try again in 7 seconds.');

    const retry = Array.from(document.querySelectorAll('button')).find(
      (button) => textOf(button) === 'Try again',
    );
    retry?.click();
    await harness.fixture.whenStable();
    expect(http.expectOne(API_PATHS.validateResetToken).request.body).toEqual({ token: TOKEN });
  });

  it('should give live feedback on length in characters of any script, from the server minimum', async () => {
    const { harness, newPassword } = await openReady();
    // The two length rules; the other four are the API's, unknown until a submit.
    const items = () =>
      Array.from(document.querySelectorAll('#reset-policy li')).map((li) =>
        li.getAttribute('data-state'),
      );
    const serverRules = ['unknown', 'unknown', 'unknown', 'unknown'];
    expect(items()).toEqual(['unknown', 'unknown', ...serverRules]);
    expect(textOf(document.querySelectorAll('#reset-policy li')[0])).toContain(
      `At least ${SERVER_MIN_LENGTH} characters`,
    );
    expect(newPassword.getAttribute('aria-describedby')).toBe('reset-policy');
    expect(textOf(document.querySelectorAll('#reset-policy li')[1])).toContain(
      'At most 64 characters, in any script',
    );

    typeInto(newPassword, 'short');
    await harness.fixture.whenStable();
    expect(items()).toEqual(['unmet', 'met', ...serverRules]);
    expect(textOf(document.querySelector('#reset-policy li'))).toContain('Not met:');

    typeInto(newPassword, 'twelve chars');
    await harness.fixture.whenStable();
    expect(items()).toEqual(['met', 'met', ...serverRules]);

    // 64 Cyrillic letters are 128 UTF-8 bytes, far over bcrypt's 72, and still acceptable.
    typeInto(newPassword, 'ж'.repeat(64), { blur: true });
    await harness.fixture.whenStable();
    expect(items()).toEqual(['met', 'met', ...serverRules]);
    expect(document.getElementById('reset-new-password-error')).toBeNull();

    typeInto(newPassword, 'ж'.repeat(65), { blur: true });
    await harness.fixture.whenStable();
    expect(items()).toEqual(['met', 'unmet', ...serverRules]);
    expect(textOf(mustGetById('reset-new-password-error'))).toBe(
      'Use at most 64 characters: shorten the password.',
    );
    expect(newPassword.getAttribute('aria-describedby')).toBe(
      'reset-new-password-error reset-policy',
    );
  });

  it('should report a mismatch and focus the first invalid field on submit', async () => {
    const { harness, http, newPassword, confirm } = await openReady();
    typeInto(newPassword, STRONG);
    typeInto(confirm, `${STRONG}!`, { blur: true });
    await harness.fixture.whenStable();
    expect(textOf(mustGetById('reset-confirm-password-error'))).toBe('The passwords do not match.');

    submitButton().click();
    await harness.fixture.whenStable();
    http.expectNone(API_PATHS.resetPassword);
    expect(document.activeElement).toBe(confirm);
    expect(confirm.getAttribute('aria-invalid')).toBe('true');
    expect(newPassword.getAttribute('aria-invalid')).toBeNull();
  });

  it('should focus the new password first when both fields are wrong', async () => {
    const { harness, http, newPassword } = await openReady();
    submitButton().click();
    await harness.fixture.whenStable();
    http.expectNone(API_PATHS.resetPassword);
    expect(document.activeElement).toBe(newPassword);
    expect(textOf(mustGetById('reset-new-password-error'))).toBe('Enter a new password.');
    expect(textOf(mustGetById('reset-confirm-password-error'))).toBe(
      'Enter the new password again.',
    );
  });

  it('should show the server verdict on a common password until the password changes', async () => {
    const { harness, http, newPassword, confirm } = await openReady();
    typeInto(newPassword, 'password1234');
    typeInto(confirm, 'password1234');
    submitButton().click();
    await harness.fixture.whenStable();
    const request = http.expectOne(API_PATHS.resetPassword);
    expect(request.request.body).toEqual({ token: TOKEN, newPassword: 'password1234' });
    request.flush(
      {
        statusCode: 400,
        code: ERROR_CODES.PASSWORD_POLICY,
        message: 'Password policy',
        rules: [PASSWORD_RULES.COMMON],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await harness.fixture.whenStable();

    expect(textOf(mustGetById('reset-new-password-error'))).toBe(
      'This password is too common. Choose one that is harder to guess.',
    );
    expect(document.querySelectorAll('#reset-policy li')[2].getAttribute('data-state')).toBe(
      'unmet',
    );
    expect(document.activeElement).toBe(newPassword);

    // Resubmitting the same password does not ask again.
    submitButton().click();
    await harness.fixture.whenStable();
    http.expectNone(API_PATHS.resetPassword);

    typeInto(newPassword, STRONG);
    await harness.fixture.whenStable();
    expect(byId('reset-new-password-error')).toBeNull();
    expect(document.querySelectorAll('#reset-policy li')[2].getAttribute('data-state')).toBe(
      'unknown',
    );
  });

  it('should show which link error the reset itself ran into', async () => {
    const { harness, http, newPassword, confirm } = await openReady();
    typeInto(newPassword, STRONG);
    typeInto(confirm, STRONG);
    submitButton().click();
    await harness.fixture.whenStable();
    http.expectOne(API_PATHS.resetPassword).flush(...tokenError(ERROR_CODES.TOKEN_EXPIRED));
    await harness.fixture.whenStable();

    expect(textOf(mustGetById('reset-result').querySelector('h1'))).toBe('This link has expired');
    expect(byId('reset-new-password')).toBeNull();
  });

  it('should disable the button while saving, then confirm, forget the token and go to sign-in', async () => {
    const { harness, http, location, newPassword, confirm } = await openReady();
    typeInto(newPassword, STRONG);
    typeInto(confirm, STRONG);
    submitButton().click();
    await harness.fixture.whenStable();
    expect(submitButton().disabled).toBe(true);
    expect(textOf(submitButton())).toBe('Saving password…');

    http.expectOne(API_PATHS.resetPassword).flush({ message: RESET_PASSWORD_MESSAGE });
    await harness.fixture.whenStable();
    const result = mustGetById('reset-result');
    expect(textOf(result)).toContain('Password changed');
    expect(document.activeElement).toBe(result);
    expect(TestBed.inject(ResetTokenStore).current()).toBeNull();

    await wait(TEST_REDIRECT_DELAY_MS * 3);
    await harness.fixture.whenStable();
    expect(location.path()).toBe('/login');
  });

  it('should toggle each password between hidden and shown', async () => {
    const { harness, newPassword, confirm } = await openReady();
    const toggle = document.querySelector<HTMLButtonElement>(
      'button[aria-controls="reset-new-password"]',
    );
    expect(toggle?.getAttribute('aria-label')).toBe('Show new password');
    toggle?.click();
    await harness.fixture.whenStable();
    expect(newPassword.type).toBe('text');
    expect(confirm.type).toBe('password');
    expect(toggle?.getAttribute('aria-label')).toBe('Hide new password');
  });
});
