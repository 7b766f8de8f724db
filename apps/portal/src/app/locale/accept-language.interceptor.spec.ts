import { HttpClient } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';

import { setUpPortal } from '../../testing/page-testing';
import { PORTAL_LOCALE } from './portal-locale';

describe('acceptLanguageInterceptor', () => {
  it("should send the page's language to the API and nowhere else", async () => {
    const { http } = await setUpPortal({ providers: [{ provide: PORTAL_LOCALE, useValue: 'ar' }] });
    const client = TestBed.inject(HttpClient);
    client.post('/api/v1/auth/forgot-password', {}).subscribe();
    client.get('https://elsewhere.example/x').subscribe();
    expect(
      http.expectOne('/api/v1/auth/forgot-password').request.headers.get('Accept-Language'),
    ).toBe('ar');
    expect(
      http.expectOne('https://elsewhere.example/x').request.headers.has('Accept-Language'),
    ).toBe(false);
  });
});
