import { API_PATHS, ERROR_CODES, type MfaChallengeResponse } from '@account-recovery/contracts';

import { TestBed } from '@angular/core/testing';

import {
  apiError,
  mustGetById,
  setUpPortal,
  submitButton,
  submitWith,
  textOf,
  typeInto,
} from '../../../testing/page-testing';
import { Session } from '../../session/session';
import { LoginPage } from './login-page';

const CHALLENGE: MfaChallengeResponse = {
  mfaRequired: true,
  challengeToken: 'challenge-1',
  methods: ['totp', 'recovery_code'],
};
const TOKENS = { accessToken: 'jwt.access.token', tokenType: 'Bearer', expiresIn: 900 } as const;

describe('LoginPage, second step', () => {
  async function openAtSecondStep(url = '/login') {
    const portal = await setUpPortal();
    await portal.harness.navigateByUrl(url, LoginPage);
    typeInto(mustGetById<HTMLInputElement>('login-email'), 'someone@example.com');
    typeInto(mustGetById<HTMLInputElement>('login-password'), 'the password');
    submitButton().click();
    await portal.harness.fixture.whenStable();
    portal.http.expectOne(API_PATHS.login).flush(CHALLENGE);
    await portal.harness.fixture.whenStable();
    return portal;
  }

  it('should ask for the code, with focus on the step heading, and not sign in yet', async () => {
    await openAtSecondStep();
    const title = mustGetById('login-title');
    expect(textOf(title)).toBe('Enter your authentication code');
    expect(document.activeElement).toBe(title);
    expect(TestBed.inject(Session).isSignedIn()).toBe(false);
    expect(mustGetById('login-totp-code').getAttribute('inputmode')).toBe('numeric');
  });

  it('should send the challenge and the code, then sign in and open the page asked for', async () => {
    const { harness, http, location } = await openAtSecondStep(
      '/login?returnUrl=%2Fforgot-password',
    );
    await submitWith(harness, 'login-totp-code', '123456');
    const request = http.expectOne(API_PATHS.loginMfa);
    expect(request.request.body).toEqual({ challengeToken: 'challenge-1', code: '123456' });
    expect(request.request.headers.has('Authorization')).toBe(false);
    request.flush(TOKENS);
    await harness.fixture.whenStable();

    expect(TestBed.inject(Session).accessToken()).toBe('jwt.access.token');
    expect(location.path()).toBe('/forgot-password');
  });

  it('should say so next to the field when the code is wrong, and let the person try again', async () => {
    const { harness, http } = await openAtSecondStep();
    await submitWith(harness, 'login-totp-code', '111111');
    http.expectOne(API_PATHS.loginMfa).flush(...apiError(400, ERROR_CODES.MFA_CODE_INVALID));
    await harness.fixture.whenStable();

    const input = mustGetById('login-totp-code');
    expect(textOf(mustGetById('login-totp-code-error'))).toBe(
      'This code is not right, or it was already used. Check it and try again.',
    );
    expect(input.getAttribute('aria-describedby')).toBe(
      'login-totp-code-error login-totp-code-hint',
    );
    expect(document.activeElement).toBe(input);

    await submitWith(harness, 'login-totp-code', '222222');
    expect(http.expectOne(API_PATHS.loginMfa).request.body.code).toBe('222222');
  });

  it('should go back to the first step when the challenge has ended', async () => {
    const { harness, http } = await openAtSecondStep();
    await submitWith(harness, 'login-totp-code', '111111');
    http.expectOne(API_PATHS.loginMfa).flush(...apiError(401, ERROR_CODES.CHALLENGE_INVALID));
    await harness.fixture.whenStable();

    expect(textOf(mustGetById('login-title'))).toBe('Sign in');
    const result = mustGetById('login-result');
    expect(textOf(result)).toBe(
      'Your sign-in timed out or had too many wrong codes. Enter your password again.',
    );
    expect(document.activeElement).toBe(result);
    expect(mustGetById<HTMLInputElement>('login-password').value).toBe('');
    expect(mustGetById<HTMLInputElement>('login-email').value).toBe('someone@example.com');
  });

  it('should say why when a page sent the person back to sign in again', async () => {
    const { harness } = await setUpPortal();
    await harness.navigateByUrl('/login?returnUrl=%2F&reason=reauth', LoginPage);
    expect(textOf(mustGetById('login-reauth'))).toBe(
      'For your safety, sign in again to change how you sign in.',
    );
  });
});
