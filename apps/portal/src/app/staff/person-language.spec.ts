import { API_PATHS, ERROR_CODES, type EventsPage } from '@account-recovery/contracts';

import { apiError, buttonNamed, mustGetById, textOf } from '../../testing/page-testing';
import { openStaffPage, PERSON, polyfillDialog } from '../../testing/staff-testing';

const PERSON_URL = `${API_PATHS.users}/${PERSON.id}`;
const NO_EVENTS: EventsPage = { items: [], nextCursor: null };

describe('PersonLanguage', () => {
  beforeAll(polyfillDialog);

  async function openPerson(person = PERSON) {
    const portal = await openStaffPage(`/admin/people/${PERSON.id}`);
    portal.http.expectOne(PERSON_URL).flush(person);
    await portal.harness.fixture.whenStable();
    portal.http.expectOne((r) => r.url === API_PATHS.events).flush(NO_EVENTS);
    await portal.harness.fixture.whenStable();
    return portal;
  }

  function choose(value: string): void {
    const select = mustGetById<HTMLSelectElement>('person-language');
    select.value = value;
    select.dispatchEvent(new Event('change'));
  }

  it("should show the person's language and save another, then read them again", async () => {
    const { http, harness } = await openPerson({ ...PERSON, locale: 'ja' });
    expect(mustGetById<HTMLSelectElement>('person-language').value).toBe('ja');

    choose('ar');
    buttonNamed('Save language').click();
    const patch = http.expectOne({ method: 'PATCH', url: PERSON_URL });
    expect(patch.request.body).toEqual({ locale: 'ar' });
    patch.flush({ ...PERSON, locale: 'ar' });
    http.expectOne({ method: 'GET', url: PERSON_URL }).flush({ ...PERSON, locale: 'ar' });
    http.expectOne((r) => r.url === API_PATHS.events).flush(NO_EVENTS);
    await harness.fixture.whenStable();
    expect(textOf(document.querySelector('.person-language [role="status"]'))).toContain('Saved');
    expect(mustGetById<HTMLSelectElement>('person-language').value).toBe('ar');
  });

  it('should clear the choice with "Not chosen"', async () => {
    const { http } = await openPerson({ ...PERSON, locale: 'de' });
    choose('');
    buttonNamed('Save language').click();
    expect(http.expectOne({ method: 'PATCH', url: PERSON_URL }).request.body).toEqual({
      locale: null,
    });
  });

  it('should say why when the account is a staff account', async () => {
    const { http, harness } = await openPerson();
    choose('fr');
    buttonNamed('Save language').click();
    http
      .expectOne({ method: 'PATCH', url: PERSON_URL })
      .flush(...apiError(403, ERROR_CODES.STAFF_ACCOUNT_PROTECTED));
    await harness.fixture.whenStable();
    expect(textOf(document.getElementById('person-language-result'))).toContain(
      'only an administrator',
    );
  });
});
