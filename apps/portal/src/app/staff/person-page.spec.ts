import {
  API_PATHS,
  ERROR_CODES,
  type EventsPage,
  type UserResponse,
} from '@account-recovery/contracts';

import type { HttpTestingController } from '@angular/common/http/testing';

import { apiError, buttonNamed, textOf } from '../../testing/page-testing';
import { DESK, openStaffPage, PERSON, polyfillDialog } from '../../testing/staff-testing';

const PERSON_URL = `${API_PATHS.users}/${PERSON.id}`;
const EVENTS: EventsPage = {
  items: [
    {
      id: '42',
      type: 'mfa.failed',
      occurredAt: '2026-11-03T10:00:00.000Z',
      userId: PERSON.id,
      actor: 'self',
      ip: '203.0.113.7',
      userAgent: null,
      details: { method: 'totp' },
    },
  ],
  nextCursor: 'older-1',
};
const FACTOR_RESET: UserResponse = {
  ...PERSON,
  hasSecondFactor: false,
  lockout: { ...PERSON.lockout, secondFactor: { state: 'ok', failures: 0, until: null } },
};

const isEvents =
  (cursor: string | null) =>
  (request: { url: string; params: { get(name: string): string | null } }) =>
    request.url === API_PATHS.events && request.params.get('cursor') === cursor;

function dialog(): HTMLDialogElement {
  const element = document.querySelector('dialog');
  if (element === null) throw new Error('no dialog');
  return element;
}

describe('PersonPage', () => {
  beforeAll(polyfillDialog);

  async function openPerson() {
    const portal = await openStaffPage(`/admin/people/${PERSON.id}`);
    portal.http.expectOne(PERSON_URL).flush(PERSON);
    await portal.harness.fixture.whenStable();
    portal.http.expectOne(isEvents(null)).flush(EVENTS);
    await portal.harness.fixture.whenStable();
    return portal;
  }

  function expectReload(http: HttpTestingController, person: UserResponse) {
    http.expectOne(PERSON_URL).flush(person);
    http.expectOne(isEvents(null)).flush(EVENTS);
  }

  it('should show the status of the account and its events', async () => {
    await openPerson();
    expect(textOf(document.querySelector('h1'))).toBe('Jane Doe');
    const status = textOf(document.querySelector('[data-testid="person-status"]'));
    expect(status).toContain('Set, last changed');
    expect(status).toContain('On (authenticator and recovery codes)');
    expect(textOf(document.querySelector('[data-testid="second-factor-state"]'))).toBe(
      'Locked after 12 failures in a row',
    );
    expect(textOf(document.querySelector('[data-testid="sign-in-state"]'))).toBe('Normal');
    expect(status).toContain('Never');
    const timeline = textOf(document.querySelector('[data-testid="timeline"]'));
    expect(timeline).toContain('Wrong two-step code');
    expect(timeline).toContain('by the person');
    expect(timeline).toContain('203.0.113.7');
  });

  it('should page the timeline back with "Show older events"', async () => {
    const { harness, http } = await openPerson();
    buttonNamed('Show older events').click();
    await harness.fixture.whenStable();
    http.expectOne(isEvents('older-1')).flush({
      items: [
        { ...EVENTS.items[0], id: '41', type: 'signin.succeeded', actor: `staff:${DESK.id}` },
      ],
      nextCursor: null,
    });
    await harness.fixture.whenStable();
    const entries = document.querySelectorAll('[data-testid="timeline"] li');
    expect(entries).toHaveLength(2);
    expect(textOf(entries[1]?.querySelector('.timeline__label') ?? null)).toBe('Signed in');
    expect(textOf(entries[1]?.querySelector('.timeline__meta') ?? null)).toContain('by you');
    expect(document.activeElement).toBe(entries[1]);
    expect(document.body.textContent).not.toContain('Show older events');
  });

  it('should reset the second factor only after the confirmation, then say so and read the status again', async () => {
    const { harness, http } = await openPerson();
    const trigger = buttonNamed('Reset two-step verification');
    trigger.focus();
    trigger.click();
    await harness.fixture.whenStable();
    expect(dialog().open).toBe(true);
    expect(textOf(dialog().querySelector('h2'))).toBe('Reset two-step verification?');
    expect(document.activeElement).toBe(buttonNamed('Cancel'));
    http.expectNone(`${PERSON_URL}/mfa`);

    Array.from(dialog().querySelectorAll('button'))
      .find((button) => textOf(button) === 'Reset two-step verification')
      ?.click();
    await harness.fixture.whenStable();
    const request = http.expectOne(`${PERSON_URL}/mfa`);
    expect(request.request.method).toBe('DELETE');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await harness.fixture.whenStable();
    expectReload(http, FACTOR_RESET);
    await harness.fixture.whenStable();

    expect(dialog().open).toBe(false);
    const outcome = document.querySelector('#person-outcome');
    expect(outcome?.getAttribute('role')).toBe('status');
    expect(textOf(outcome)).toContain('Two-step verification of jane.doe@example.com is off');
    expect(document.activeElement).toBe(outcome);
    expect(textOf(document.querySelector('[data-testid="person-status"]'))).toContain('Off');
    expect(textOf(document.querySelector('.staff-actions'))).not.toContain('Reset two-step');
  });

  it('should do nothing on Cancel, and give the focus back to the button', async () => {
    const { harness, http } = await openPerson();
    const trigger = buttonNamed('End all sessions');
    trigger.focus();
    trigger.click();
    await harness.fixture.whenStable();
    buttonNamed('Cancel').click();
    await harness.fixture.whenStable();
    expect(dialog().open).toBe(false);
    expect(document.activeElement).toBe(trigger);
    http.expectNone(`${PERSON_URL}/sessions/revoke`);
  });

  it('should send a reset link, ending the sessions too when asked', async () => {
    const { harness, http } = await openPerson();
    buttonNamed('Send a reset link').click();
    await harness.fixture.whenStable();
    const box = dialog().querySelector<HTMLInputElement>('input[type="checkbox"]');
    box?.click();
    buttonNamed('Send the link').click();
    await harness.fixture.whenStable();
    const request = http.expectOne(`${PERSON_URL}/password-reset`);
    expect(request.request.body).toEqual({ revokeSessions: true });
    request.flush(
      { message: 'A reset link is being sent to the user.' },
      { status: 202, statusText: 'Accepted' },
    );
    await harness.fixture.whenStable();
    expectReload(http, { ...PERSON, sessionsRevokedAt: '2026-11-04T12:00:00.000Z' });
    await harness.fixture.whenStable();
    expect(textOf(document.querySelector('#person-outcome'))).toBe(
      'A reset link is on its way to jane.doe@example.com, and their sessions are ended.',
    );
  });

  it('should keep the dialog open with the reason when the action fails', async () => {
    const { harness, http } = await openPerson();
    buttonNamed('End all sessions').click();
    await harness.fixture.whenStable();
    buttonNamed('End the sessions').click();
    await harness.fixture.whenStable();
    http.expectOne(`${PERSON_URL}/sessions/revoke`).flush(...apiError(403, ERROR_CODES.FORBIDDEN));
    await harness.fixture.whenStable();
    expect(dialog().open).toBe(true);
    const notice = document.querySelector('#action-dialog-result');
    expect(textOf(notice)).toContain('Your role does not allow this.');
    expect(document.activeElement).toBe(notice);
    expect(document.querySelector('#person-outcome')).toBeNull();
  });

  it('should say so when there is no such person', async () => {
    const { harness, http } = await openStaffPage(`/admin/people/${PERSON.id}`);
    http.expectOne(PERSON_URL).flush(...apiError(404, ERROR_CODES.NOT_FOUND));
    await harness.fixture.whenStable();
    expect(textOf(document.querySelector('[role="alert"]'))).toContain(
      'There is no account with this id',
    );
  });
});
