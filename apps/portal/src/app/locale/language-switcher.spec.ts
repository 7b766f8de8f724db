import { API_PATHS, LOCALE_COOKIE, LOCALE_NAMES } from '@account-recovery/contracts';

import { TestBed } from '@angular/core/testing';

import { mustGetById, setUpPortal, textOf } from '../../testing/page-testing';
import { ResetTokenStore } from '../password-reset/reset-token-store';
import { Session } from '../session/session';
import { LanguageSwitcher } from './language-switcher';
import { LOAD_PAGE, PORTAL_LOCALE } from './portal-locale';

describe('LanguageSwitcher', () => {
  let loaded: string[];

  async function setUp() {
    loaded = [];
    const portal = await setUpPortal({
      providers: [{ provide: LOAD_PAGE, useValue: (address: string) => loaded.push(address) }],
    });
    const fixture = TestBed.createComponent(LanguageSwitcher);
    await fixture.whenStable();
    return { ...portal, fixture };
  }

  function choose(code: string): void {
    const select = mustGetById<HTMLSelectElement>('language-select');
    select.value = code;
    select.dispatchEvent(new Event('change'));
  }

  afterEach(() => {
    document.cookie = `${LOCALE_COOKIE}=; Path=/; Max-Age=0`;
  });

  it('should list every language in itself, each marked with its own lang', async () => {
    const { fixture } = await setUp();
    const options = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLOptionElement>('option'),
    );
    expect(options.map((option) => [option.value, option.lang, textOf(option)])).toEqual(
      Object.entries(LOCALE_NAMES).map(([code, name]) => [code, code, name]),
    );
    expect(mustGetById<HTMLSelectElement>('language-select').value).toBe(
      TestBed.inject(PORTAL_LOCALE),
    );
  });

  it('should remember the choice and load the same address in it when signed out', async () => {
    const { harness } = await setUp();
    await harness.navigateByUrl('/forgot-password');
    choose('de');
    expect(document.cookie).toContain(`${LOCALE_COOKIE}=de`);
    expect(loaded).toEqual(['/forgot-password']);
  });

  it('should carry a reset link in progress over to the other language', async () => {
    const { harness } = await setUp();
    TestBed.inject(ResetTokenStore).keep('tok-en_1');
    await harness.navigateByUrl('/reset-password');
    choose('ar');
    expect(loaded).toEqual(['/reset-password#tok-en_1']);
  });

  it('should save the choice to the account when signed in, without ending the session', async () => {
    const { http, fixture } = await setUp();
    TestBed.inject(Session).signIn({ accessToken: 'a', tokenType: 'Bearer', expiresIn: 900 });
    choose('fr');
    const request = http.expectOne(API_PATHS.me);
    expect(request.request.method).toBe('PATCH');
    expect(request.request.body).toEqual({ locale: 'fr' });
    request.flush({});
    // The account page's "Emails in" is read again.
    http.expectOne({ method: 'GET', url: API_PATHS.me });
    await fixture.whenStable();
    expect(loaded).toEqual([]);
    expect(document.cookie).toContain(`${LOCALE_COOKIE}=fr`);
    expect(textOf(fixture.nativeElement.querySelector('[role="status"]'))).toContain('Français');
  });

  it('should say so when the account cannot be saved, and remember nothing', async () => {
    const { http, fixture } = await setUp();
    TestBed.inject(Session).signIn({ accessToken: 'a', tokenType: 'Bearer', expiresIn: 900 });
    choose('ja');
    http.expectOne(API_PATHS.me).flush(null, { status: 503, statusText: 'Unavailable' });
    await fixture.whenStable();
    expect(document.cookie).not.toContain(`${LOCALE_COOKIE}=ja`);
    expect(textOf(fixture.nativeElement.querySelector('[role="status"]'))).toMatch(/not be saved/);
  });
});
