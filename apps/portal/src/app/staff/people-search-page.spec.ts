import { API_PATHS, ERROR_CODES, type UserResponse } from '@account-recovery/contracts';

import { TestBed } from '@angular/core/testing';

import { apiError, buttonNamed, mustGetById, submitWith, textOf } from '../../testing/page-testing';
import { DESK, openStaffPage, PERSON } from '../../testing/staff-testing';
import { Session } from '../session/session';

function person(n: number): UserResponse {
  return {
    ...PERSON,
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    email: `jane${n}@example.com`,
  };
}

const isSearch =
  (cursor: string | null) =>
  (request: { url: string; params: { get(name: string): string | null } }) =>
    request.url === API_PATHS.users && request.params.get('cursor') === cursor;

describe('PeopleSearchPage', () => {
  it('should search by the start of an address or name and list who matched', async () => {
    const { harness, http } = await openStaffPage('/admin');
    await submitWith(harness, 'people-query', '  jane ');
    const request = http.expectOne(isSearch(null));
    expect(request.request.params.get('query')).toBe('jane');
    expect(request.request.headers.get('Authorization')).toBe('Bearer access-1');
    request.flush({ items: [PERSON], nextCursor: null });
    await harness.fixture.whenStable();

    expect(textOf(document.querySelector('[data-testid="people-count"]'))).toBe('1 person found.');
    const rows = document.querySelectorAll('[data-testid="people-results"] tbody tr');
    expect(rows).toHaveLength(1);
    expect(textOf(rows[0] ?? null)).toContain('jane.doe@example.com');
    expect(textOf(rows[0] ?? null)).toContain('Locked');
    expect(rows[0]?.querySelector('a')?.getAttribute('href')).toBe(`/admin/people/${PERSON.id}`);
    expect(document.body.textContent).not.toContain('Show more');
  });

  it('should page with the cursor: the next people added below, focus on the first of them', async () => {
    const { harness, http } = await openStaffPage('/admin');
    await submitWith(harness, 'people-query', 'jane');
    http.expectOne(isSearch(null)).flush({ items: [person(1), person(2)], nextCursor: 'c-2' });
    await harness.fixture.whenStable();
    expect(textOf(document.querySelector('[data-testid="people-count"]'))).toBe(
      '2 people found. There are more: use Show more.',
    );

    buttonNamed('Show more').click();
    await harness.fixture.whenStable();
    const more = http.expectOne(isSearch('c-2'));
    expect(more.request.params.get('query')).toBe('jane');
    more.flush({ items: [person(3)], nextCursor: null });
    await harness.fixture.whenStable();

    const links = Array.from(document.querySelectorAll('[data-testid="people-results"] tbody a'));
    expect(links.map(textOf)).toEqual([
      'jane1@example.com',
      'jane2@example.com',
      'jane3@example.com',
    ]);
    expect(document.activeElement).toBe(links[2]);
    expect(textOf(document.querySelector('[data-testid="people-count"]'))).toBe('3 people found.');
    expect(document.body.textContent).not.toContain('Show more');
  });

  it('should start over with a new search, not add to the last one', async () => {
    const { harness, http } = await openStaffPage('/admin');
    await submitWith(harness, 'people-query', 'jane');
    http.expectOne(isSearch(null)).flush({ items: [person(1)], nextCursor: 'c-1' });
    await harness.fixture.whenStable();
    await submitWith(harness, 'people-query', 'bob');
    http.expectOne(isSearch(null)).flush({ items: [], nextCursor: null });
    await harness.fixture.whenStable();
    expect(textOf(document.querySelector('[data-testid="people-count"]'))).toBe('No one found.');
    expect(document.querySelector('[data-testid="people-results"]')).toBeNull();
  });

  it('should ask for something to search for, and send nothing', async () => {
    const { harness, http } = await openStaffPage('/admin');
    await submitWith(harness, 'people-query', '   ');
    http.expectNone(isSearch(null));
    expect(textOf(mustGetById('people-query-error'))).toContain('Enter an email address');
    expect(document.activeElement).toBe(mustGetById('people-query'));
  });

  it('should lead a member of staff without a factor to the account page', async () => {
    const { harness, http } = await openStaffPage('/admin');
    await submitWith(harness, 'people-query', 'jane');
    http.expectOne(isSearch(null)).flush(...apiError(403, ERROR_CODES.MFA_ENROLLMENT_REQUIRED));
    await harness.fixture.whenStable();
    http.expectOne(API_PATHS.me).flush({ ...DESK, mfa: { totp: false, recoveryCodesLeft: 0 } });
    await harness.fixture.whenStable();
    expect(textOf(document.querySelector('h1'))).toBe('Add two-step verification first');
  });

  it('should send a session opened without the factor to sign in again, and back', async () => {
    const { harness, http, location } = await openStaffPage('/admin');
    await submitWith(harness, 'people-query', 'jane');
    http.expectOne(isSearch(null)).flush(...apiError(401, ERROR_CODES.REAUTH_REQUIRED));
    await harness.fixture.whenStable();
    expect(TestBed.inject(Session).isSignedIn()).toBe(false);
    expect(location.path()).toBe('/login?returnUrl=%2Fadmin&reason=reauth');
  });
});
