import { API_PATHS, type MeResponse, type UserResponse } from '@account-recovery/contracts';

import { TestBed } from '@angular/core/testing';

import { CurrentUser } from '../app/session/current-user';
import { Session } from '../app/session/session';
import { setUpPortal } from './page-testing';

/** A help-desk member with a second factor, as `/me` gives them. */
export const DESK: MeResponse = {
  id: '0b9e4f64-3d55-4d1c-9f7a-2c1f0c6b7a01',
  email: 'desk@example.com',
  displayName: 'Help Desk',
  locale: null,
  roles: ['helpdesk'],
  mfa: { totp: true, recoveryCodesLeft: 10 },
};

export const PERSON: UserResponse = {
  id: '5d2c7a90-8e41-4f3b-a7c2-91e0d4b6f321',
  email: 'jane.doe@example.com',
  displayName: 'Jane Doe',
  locale: null,
  hasPassword: true,
  passwordChangedAt: '2026-11-02T09:30:00.000Z',
  roles: [],
  hasSecondFactor: true,
  sessionsRevokedAt: null,
  lockout: {
    signIn: { state: 'ok', failures: 0, until: null },
    secondFactor: { state: 'locked', failures: 12, until: null },
  },
  createdAt: '2026-10-01T08:00:00.000Z',
  updatedAt: '2026-11-02T09:30:00.000Z',
};

/** The portal, signed in; `/me` answered with `me` once something asks for it. */
export async function setUpSignedIn() {
  const portal = await setUpPortal();
  TestBed.inject(Session).signIn({ accessToken: 'access-1', tokenType: 'Bearer', expiresIn: 900 });
  return portal;
}

/** Signed in as `me` (known to CurrentUser), then at `url` of the staff area. */
export async function openStaffPage(url: string, me: MeResponse = DESK) {
  const portal = await setUpSignedIn();
  const load = TestBed.inject(CurrentUser).load().subscribe();
  portal.http.expectOne(API_PATHS.me).flush(me);
  load.unsubscribe();
  await portal.harness.navigateByUrl(url);
  await portal.harness.fixture.whenStable();
  return portal;
}

/** jsdom has `<dialog>` but not its modal methods: enough of them to drive the page. */
export function polyfillDialog(): void {
  const proto = HTMLDialogElement.prototype;
  if (typeof proto.showModal !== 'function' || !('polyfilled' in proto)) {
    Object.assign(proto, {
      polyfilled: true,
      showModal(this: HTMLDialogElement) {
        this.setAttribute('open', '');
        this.querySelector<HTMLElement>('[autofocus]')?.focus();
      },
      close(this: HTMLDialogElement) {
        this.removeAttribute('open');
        this.dispatchEvent(new Event('close'));
      },
    });
  }
}
