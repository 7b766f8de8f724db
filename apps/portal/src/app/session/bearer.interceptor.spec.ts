import { API_PATHS } from '@account-recovery/contracts';

import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { API_BASE_URL } from '../shared/api-base-url';
import { bearerInterceptor } from './bearer.interceptor';
import { Session } from './session';

describe('bearerInterceptor', () => {
  function setUp(baseUrl = '') {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'login', children: [] }]),
        provideHttpClient(withInterceptors([bearerInterceptor])),
        provideHttpClientTesting(),
        { provide: API_BASE_URL, useValue: baseUrl },
      ],
    });
    return {
      client: TestBed.inject(HttpClient),
      http: TestBed.inject(HttpTestingController),
      session: TestBed.inject(Session),
    };
  }

  function signIn(session: Session) {
    session.signIn({ accessToken: 'access-1', tokenType: 'Bearer', expiresIn: 900 });
  }

  it('should add the Bearer header to API calls while signed in', () => {
    const { client, http, session } = setUp();
    signIn(session);
    client.get(API_PATHS.me).subscribe();
    expect(http.expectOne(API_PATHS.me).request.headers.get('Authorization')).toBe(
      'Bearer access-1',
    );
  });

  it('should add no header while signed out', () => {
    const { client, http } = setUp();
    client.get(API_PATHS.me).subscribe();
    expect(http.expectOne(API_PATHS.me).request.headers.has('Authorization')).toBe(false);
  });

  it('should keep the token away from other hosts and from the anonymous endpoints', () => {
    const { client, http, session } = setUp('https://api.example.com');
    signIn(session);
    client.get('https://elsewhere.example.com/api/v1/auth/me').subscribe();
    client.post(`https://api.example.com${API_PATHS.login}`, {}).subscribe();
    client.post(`https://api.example.com${API_PATHS.resetPassword}`, {}).subscribe();
    client.get(`https://api.example.com${API_PATHS.me}`).subscribe();

    expect(
      http
        .expectOne('https://elsewhere.example.com/api/v1/auth/me')
        .request.headers.has('Authorization'),
    ).toBe(false);
    expect(
      http
        .expectOne(`https://api.example.com${API_PATHS.login}`)
        .request.headers.has('Authorization'),
    ).toBe(false);
    expect(
      http
        .expectOne(`https://api.example.com${API_PATHS.resetPassword}`)
        .request.headers.has('Authorization'),
    ).toBe(false);
    expect(
      http.expectOne(`https://api.example.com${API_PATHS.me}`).request.headers.get('Authorization'),
    ).toBe('Bearer access-1');
  });

  it('should sign out and go to the sign-in page on a 401 to an authenticated call', async () => {
    const { client, http, session } = setUp();
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl');
    signIn(session);
    const answer = firstValueFrom(client.get(API_PATHS.me));
    http.expectOne(API_PATHS.me).flush(null, { status: 401, statusText: 'Unauthorized' });

    await expect(answer).rejects.toMatchObject({ status: 401 });
    expect(session.isSignedIn()).toBe(false);
    expect(navigate).toHaveBeenCalledWith('/login');
  });

  it('should leave the session to the page on a 401 REAUTH_REQUIRED', async () => {
    const { client, http, session } = setUp();
    signIn(session);
    const answer = firstValueFrom(client.post(API_PATHS.mfaTotp, {}));
    http
      .expectOne(API_PATHS.mfaTotp)
      .flush(
        { statusCode: 401, code: 'REAUTH_REQUIRED', message: 'x' },
        { status: 401, statusText: 'Unauthorized' },
      );

    await expect(answer).rejects.toMatchObject({ status: 401 });
    expect(session.accessToken()).toBe('access-1');
  });

  it('should leave the session alone on other errors', async () => {
    const { client, http, session } = setUp();
    signIn(session);
    const answer = firstValueFrom(client.get(API_PATHS.me));
    http.expectOne(API_PATHS.me).flush(null, { status: 503, statusText: 'Unavailable' });

    await expect(answer).rejects.toMatchObject({ status: 503 });
    expect(session.accessToken()).toBe('access-1');
  });
});
