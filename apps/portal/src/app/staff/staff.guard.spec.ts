import { API_PATHS, type MeResponse } from '@account-recovery/contracts';

import { TestBed } from '@angular/core/testing';

import { setUpPortal, textOf, wait } from '../../testing/page-testing';
import { DESK, setUpSignedIn } from '../../testing/staff-testing';
import { CurrentUser } from '../session/current-user';

const NOT_STAFF: MeResponse = { ...DESK, roles: [] };

describe('staffGuard', () => {
  it('should send a signed-out visitor to sign in, and back to the staff page after', async () => {
    const { harness, http, location } = await setUpPortal();
    await harness.navigateByUrl('/admin/reports');
    http.expectNone(API_PATHS.me);
    expect(location.path()).toBe('/login?returnUrl=%2Fadmin%2Freports');
  });

  it('should send someone without a staff role home, without loading the staff area', async () => {
    const { harness, http, location } = await setUpSignedIn();
    const navigation = harness.navigateByUrl('/admin');
    // Not whenStable: the navigation itself waits for /me.
    await wait(10);
    http.expectOne(API_PATHS.me).flush(NOT_STAFF);
    await navigation;
    // The home page reads /me again for itself.
    http.match(API_PATHS.me).forEach((request) => request.flush(NOT_STAFF));
    await harness.fixture.whenStable();
    expect(location.path()).toBe('');
    expect(document.querySelector('app-staff-area')).toBeNull();
  });

  it('should let a member of staff in, reading /me when it is not known yet', async () => {
    const { harness, http, location } = await setUpSignedIn();
    const navigation = harness.navigateByUrl('/admin');
    // Not whenStable: the navigation itself waits for /me.
    await wait(10);
    http.expectOne(API_PATHS.me).flush(DESK);
    await navigation;
    await harness.fixture.whenStable();
    expect(location.path()).toBe('/admin');
    expect(textOf(document.querySelector('main h1, h1'))).toBe('Find a person');
  });

  it('should not ask /me again when it is known', async () => {
    const { harness, http, location } = await setUpSignedIn();
    const load = TestBed.inject(CurrentUser).load().subscribe();
    http.expectOne(API_PATHS.me).flush(DESK);
    load.unsubscribe();
    await harness.navigateByUrl('/admin');
    http.expectNone(API_PATHS.me);
    expect(location.path()).toBe('/admin');
  });

  it('should go home when /me cannot be read', async () => {
    const { harness, http, location } = await setUpSignedIn();
    const navigation = harness.navigateByUrl('/admin');
    // Not whenStable: the navigation itself waits for /me.
    await wait(10);
    http.expectOne(API_PATHS.me).flush(null, { status: 503, statusText: 'Unavailable' });
    await navigation;
    expect(location.path()).toBe('');
  });

  it('should show a member of staff without a second factor the way to the account page', async () => {
    const { harness, http } = await setUpSignedIn();
    const navigation = harness.navigateByUrl('/admin');
    // Not whenStable: the navigation itself waits for /me.
    await wait(10);
    http.expectOne(API_PATHS.me).flush({ ...DESK, mfa: { totp: false, recoveryCodesLeft: 0 } });
    await navigation;
    await harness.fixture.whenStable();
    expect(textOf(document.querySelector('h1'))).toBe('Add two-step verification first');
    const link = Array.from(document.querySelectorAll('a')).find(
      (a) => textOf(a) === 'Go to your account',
    );
    expect(link?.getAttribute('href')).toBe('/');
  });
});
