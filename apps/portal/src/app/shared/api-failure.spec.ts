import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';

import { parseRetryAfter, toApiFailure } from './api-failure';

describe('parseRetryAfter', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');

  it('should read delay-seconds', () => {
    expect(parseRetryAfter('42', now)).toBe(42);
    expect(parseRetryAfter(' 7 ', now)).toBe(7);
  });

  it('should read an HTTP date as the seconds left, rounded up, at least 1', () => {
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:00 GMT', now)).toBe(1);
  });

  it('should give null for a missing or unreadable value', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });
});

describe('toApiFailure', () => {
  it('should read the code, the known rules, the fields and Retry-After', () => {
    const error = new HttpErrorResponse({
      status: 400,
      error: {
        statusCode: 400,
        code: 'PASSWORD_POLICY',
        message: 'x',
        rules: ['COMMON', 'NOT_A_RULE'],
        errors: { newPassword: ['bad'] },
      },
      headers: new HttpHeaders({ 'Retry-After': '3' }),
    });
    expect(toApiFailure(error)).toEqual({
      status: 400,
      code: 'PASSWORD_POLICY',
      rules: ['COMMON'],
      fields: ['newPassword'],
      retryAfterSeconds: 3,
    });
  });

  it('should cope with bodies that are not our error shape', () => {
    const failure = toApiFailure(
      new HttpErrorResponse({ status: 502, error: '<html>Bad gateway' }),
    );
    expect(failure).toEqual({
      status: 502,
      code: null,
      rules: [],
      fields: [],
      retryAfterSeconds: null,
    });
    expect(
      toApiFailure(new HttpErrorResponse({ status: 400, error: { code: 'SOMETHING_NEW' } })).code,
    ).toBeNull();
    expect(toApiFailure(new Error('boom')).status).toBe(0);
  });
});
