import { API_PATHS, FORGOT_PASSWORD_MESSAGE } from '@account-recovery/contracts';

import { HttpHeaders } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

import {
  mustGetById,
  setUpPortal,
  submitButton,
  TEST_REDIRECT_DELAY_MS,
  textOf,
  typeInto,
  wait,
} from '../../../testing/page-testing';
import { ForgotPasswordPage, linkSentMessage } from './forgot-password-page';

describe('ForgotPasswordPage', () => {
  async function open() {
    const portal = await setUpPortal();
    await portal.harness.navigateByUrl('/forgot-password', ForgotPasswordPage);
    const email = mustGetById<HTMLInputElement>('forgot-email');
    return { ...portal, email };
  }

  it('should word the sent message exactly as the API contract does', () => {
    expect(linkSentMessage()).toBe(FORGOT_PASSWORD_MESSAGE);
  });

  it('should label the email field', async () => {
    const { email } = await open();
    expect(textOf(document.querySelector(`label[for="${email.id}"]`))).toBe('Email');
  });

  it('should show the neutral message after the API accepts the request', async () => {
    const { harness, http, email } = await open();
    typeInto(email, ' someone@example.com ');
    submitButton().click();
    await harness.fixture.whenStable();

    const request = http.expectOne(API_PATHS.forgotPassword);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ email: 'someone@example.com' });
    request.flush({ message: FORGOT_PASSWORD_MESSAGE }, { status: 202, statusText: 'Accepted' });
    await harness.fixture.whenStable();

    const result = mustGetById('forgot-result');
    expect(textOf(result)).toContain('If the email exists, a reset link has been sent.');
    expect(textOf(document.body)).not.toMatch(/not registered|no account|unknown/i);
    expect(result.getAttribute('role')).toBe('status');
    expect(document.activeElement).toBe(result);
    expect(document.querySelector('a[href="/login"]')).not.toBeNull();
  });

  it('should disable the submit button and show progress while the request runs', async () => {
    const { harness, http, email } = await open();
    typeInto(email, 'someone@example.com');
    submitButton().click();
    await harness.fixture.whenStable();

    expect(submitButton().disabled).toBe(true);
    expect(textOf(submitButton())).toBe('Sending link…');
    // A second submit while the first is in flight sends nothing more.
    submitButton().closest('form')?.dispatchEvent(new Event('submit'));
    await harness.fixture.whenStable();
    const request = http.expectOne(API_PATHS.forgotPassword);

    request.flush({ code: 'SERVICE_UNAVAILABLE' }, { status: 503, statusText: 'Unavailable' });
    await harness.fixture.whenStable();
    expect(submitButton().disabled).toBe(false);
    expect(textOf(submitButton())).toBe('Send reset link');
  });

  it('should show the wait from Retry-After when the API answers 429', async () => {
    const { harness, http, email } = await open();
    typeInto(email, 'someone@example.com');
    submitButton().click();
    await harness.fixture.whenStable();

    http.expectOne(API_PATHS.forgotPassword).flush(
      { statusCode: 429, code: 'RATE_LIMITED', message: 'Too Many Requests' },
      {
        status: 429,
        statusText: 'Too Many Requests',
        headers: new HttpHeaders({ 'Retry-After': '42' }),
      },
    );
    await harness.fixture.whenStable();

    const result = mustGetById('forgot-result');
    expect(textOf(result)).toBe('Too many attempts — try again in 42 seconds.');
    expect(result.getAttribute('role')).toBe('alert');
    expect(document.activeElement).toBe(result);
  });

  it('should validate the email on blur and on submit, without sending, and focus the field', async () => {
    const { harness, http, email } = await open();
    typeInto(email, 'not-an-address', { blur: true });
    await harness.fixture.whenStable();
    expect(textOf(mustGetById('forgot-email-error'))).toBe(
      'Enter a valid email address, like name@example.com.',
    );
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.getAttribute('aria-describedby')).toBe('forgot-email-error');

    typeInto(email, '');
    submitButton().focus();
    submitButton().click();
    await harness.fixture.whenStable();

    http.expectNone(API_PATHS.forgotPassword);
    expect(textOf(mustGetById('forgot-email-error'))).toBe('Enter your email address.');
    expect(document.activeElement).toBe(email);
  });

  it('should stay on the page after the request, for whoever reads the email on another device', async () => {
    const { harness, http, email, location } = await open();
    typeInto(email, 'someone@example.com');
    submitButton().click();
    await harness.fixture.whenStable();
    http.expectOne(API_PATHS.forgotPassword).flush({ message: FORGOT_PASSWORD_MESSAGE });
    await harness.fixture.whenStable();

    await wait(TEST_REDIRECT_DELAY_MS * 3);
    await harness.fixture.whenStable();
    expect(location.path()).toBe('/forgot-password');
    expect(TestBed.inject(Router).url).toBe('/forgot-password');
    const haveCode = Array.from(document.querySelectorAll('button')).find(
      (button) => textOf(button) === 'I have a code',
    );
    expect(haveCode).toBeDefined();
  });
});
