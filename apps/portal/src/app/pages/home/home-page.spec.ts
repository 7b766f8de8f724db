import { API_PATHS, type MeResponse } from '@account-recovery/contracts';

import { TestBed } from '@angular/core/testing';

import { mustGetById, setUpPortal, textOf } from '../../../testing/page-testing';
import { Session } from '../../session/session';
import { HomePage } from './home-page';

const USER: MeResponse = {
  id: '9f0c1c0e-5b7a-4d52-9a53-1f4c8e3f6a10',
  email: 'jane.doe@example.com',
  displayName: 'Jane Doe',
  locale: null,
  roles: [],
  mfa: { totp: false, recoveryCodesLeft: 0 },
};

describe('HomePage', () => {
  async function openSignedIn() {
    const portal = await setUpPortal();
    TestBed.inject(Session).signIn({
      accessToken: 'access-1',
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    await portal.harness.navigateByUrl('/', HomePage);
    return portal;
  }

  it('should send a signed-out visitor to the sign-in page', async () => {
    const { harness, http, location } = await setUpPortal();
    await harness.navigateByUrl('/');
    http.expectNone(API_PATHS.me);
    expect(location.path()).toBe('/login');
  });

  it('should show who is signed in, from /me with the Bearer token', async () => {
    const { harness, http } = await openSignedIn();
    const request = http.expectOne(API_PATHS.me);
    expect(request.request.headers.get('Authorization')).toBe('Bearer access-1');
    request.flush(USER);
    await harness.fixture.whenStable();

    const details = textOf(document.querySelector('[data-testid="signed-in-user"]'));
    expect(details).toContain('Jane Doe');
    expect(details).toContain('jane.doe@example.com');
  });

  it('should link to the staff area for staff only', async () => {
    const staffLink = () =>
      Array.from(document.querySelectorAll('a')).find((a) => textOf(a).startsWith('Staff area'));
    const { harness, http } = await openSignedIn();
    http.expectOne(API_PATHS.me).flush(USER);
    await harness.fixture.whenStable();
    expect(staffLink()).toBeUndefined();

    TestBed.resetTestingModule();
    const staff = await openSignedIn();
    staff.http.expectOne(API_PATHS.me).flush({ ...USER, roles: ['helpdesk'] });
    await staff.harness.fixture.whenStable();
    expect(staffLink()?.getAttribute('href')).toBe('/admin');
  });

  it('should sign out: forget the token and go to the sign-in page', async () => {
    const { harness, http, location } = await openSignedIn();
    http.expectOne(API_PATHS.me).flush(USER);
    await harness.fixture.whenStable();

    const signOut = Array.from(document.querySelectorAll('button')).find(
      (button) => textOf(button) === 'Sign out',
    );
    signOut?.click();
    await harness.fixture.whenStable();

    expect(signOut).toBeDefined();
    expect(TestBed.inject(Session).accessToken()).toBeNull();
    expect(location.path()).toBe('/login');
  });

  it('should sign out and go to the sign-in page when /me answers 401', async () => {
    const { harness, http, location } = await openSignedIn();
    http
      .expectOne(API_PATHS.me)
      .flush(
        { statusCode: 401, code: 'UNAUTHORIZED', message: 'Unauthorized' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await harness.fixture.whenStable();

    expect(TestBed.inject(Session).isSignedIn()).toBe(false);
    expect(location.path()).toBe('/login');
  });

  it('should offer to try again when /me fails for another reason', async () => {
    const { harness, http } = await openSignedIn();
    http.expectOne(API_PATHS.me).flush(null, { status: 503, statusText: 'Unavailable' });
    await harness.fixture.whenStable();
    expect(textOf(document.querySelector('[role="alert"]'))).toContain('Something went wrong');
    expect(TestBed.inject(Session).isSignedIn()).toBe(true);

    const retry = Array.from(document.querySelectorAll('button')).find(
      (button) => textOf(button) === 'Try again',
    );
    retry?.click();
    await harness.fixture.whenStable();
    http.expectOne(API_PATHS.me).flush(USER);
    await harness.fixture.whenStable();
    expect(mustGetById('home-title')).not.toBeNull();
    expect(textOf(document.querySelector('[data-testid="signed-in-user"]'))).toContain('Jane Doe');
  });
});
