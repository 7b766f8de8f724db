import { API_PATHS, ERROR_CODES } from '@account-recovery/contracts';

import { HttpHeaders } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';

import {
  mustGetById,
  setUpPortal,
  submitButton,
  textOf,
  typeInto,
} from '../../../testing/page-testing';
import { Session } from '../../session/session';
import { LoginPage } from './login-page';

describe('LoginPage', () => {
  async function open() {
    const portal = await setUpPortal();
    await portal.harness.navigateByUrl('/login', LoginPage);
    return {
      ...portal,
      email: mustGetById<HTMLInputElement>('login-email'),
      password: mustGetById<HTMLInputElement>('login-password'),
    };
  }

  async function submit(email: string, password: string) {
    const portal = await open();
    typeInto(portal.email, email);
    typeInto(portal.password, password);
    submitButton().click();
    await portal.harness.fixture.whenStable();
    return { ...portal, request: portal.http.expectOne(API_PATHS.login) };
  }

  it('should label both fields and link to the forgot-password page', async () => {
    await open();
    expect(textOf(document.querySelector('label[for="login-email"]'))).toBe('Email');
    expect(textOf(document.querySelector('label[for="login-password"]'))).toBe('Password');
    expect(textOf(document.querySelector('a[href="/forgot-password"]'))).toBe('Forgot password?');
  });

  it.each([
    [
      'wrong credentials (401)',
      { status: 401, statusText: 'Unauthorized' },
      { statusCode: 401, code: ERROR_CODES.INVALID_CREDENTIALS, message: 'Invalid credentials' },
    ],
    [
      'a rate limit (429)',
      {
        status: 429,
        statusText: 'Too Many Requests',
        headers: new HttpHeaders({ 'Retry-After': '30' }),
      },
      { statusCode: 429, code: ERROR_CODES.RATE_LIMITED, message: 'Too Many Requests' },
    ],
    [
      'a rejected body (400)',
      { status: 400, statusText: 'Bad Request' },
      { statusCode: 400, code: ERROR_CODES.VALIDATION_FAILED, message: 'Validation failed' },
    ],
  ])('should show the one neutral message for %s', async (_case, options, body) => {
    const { harness, request } = await submit('someone@example.com', 'wrong password');
    request.flush(body, options);
    await harness.fixture.whenStable();

    const result = mustGetById('login-result');
    expect(textOf(result)).toBe('Email or password is incorrect.');
    expect(result.getAttribute('role')).toBe('alert');
    expect(document.activeElement).toBe(result);
    expect(submitButton().disabled).toBe(false);
    expect(TestBed.inject(Session).isSignedIn()).toBe(false);
  });

  it('should keep the access token in memory only and open the home page', async () => {
    const setItem = jest.spyOn(Storage.prototype, 'setItem');
    const { harness, request, location } = await submit(' someone@example.com', 'the password');
    expect(request.request.body).toEqual({
      email: 'someone@example.com',
      password: 'the password',
    });
    expect(submitButton().disabled).toBe(true);
    expect(textOf(submitButton())).toBe('Signing in…');

    request.flush({ accessToken: 'jwt.access.token', tokenType: 'Bearer', expiresIn: 900 });
    await harness.fixture.whenStable();

    expect(TestBed.inject(Session).accessToken()).toBe('jwt.access.token');
    expect(setItem).not.toHaveBeenCalled();
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    expect(document.cookie).toBe('');
    expect(location.path()).toBe(''); // the home page, /
    setItem.mockRestore();
  });

  it('should validate both fields before sending and focus the first invalid one', async () => {
    const { harness, http, email } = await open();
    submitButton().click();
    await harness.fixture.whenStable();

    http.expectNone(API_PATHS.login);
    expect(textOf(mustGetById('login-email-error'))).toBe('Enter your email address.');
    expect(textOf(mustGetById('login-password-error'))).toBe('Enter your password.');
    expect(document.activeElement).toBe(email);
  });
});
