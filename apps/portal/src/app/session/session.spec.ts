import { TestBed } from '@angular/core/testing';

import { Session } from './session';

describe('Session', () => {
  afterEach(() => jest.useRealTimers());

  it('should forget the access token when it expires', () => {
    jest.useFakeTimers();
    const session = TestBed.inject(Session);
    session.signIn({ accessToken: 'access-1', tokenType: 'Bearer', expiresIn: 60 });
    jest.advanceTimersByTime(59_000);
    expect(session.accessToken()).toBe('access-1');
    jest.advanceTimersByTime(1_000);
    expect(session.accessToken()).toBeNull();
    expect(session.isSignedIn()).toBe(false);
  });
});
