import {
  API_PATHS,
  type LoginMfaRequest,
  type LoginRequest,
  type LoginResponse,
  type MeResponse,
  type SessionTokens,
  type UpdateMeRequest,
} from '@account-recovery/contracts';

import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { API_BASE_URL, apiUrl } from '../shared/api-base-url';

/** Sign-in (`POST /api/v1/auth/login`, `…/login/mfa`) and the signed-in user (`…/me`). */
@Injectable({ providedIn: 'root' })
export class SessionApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  login(body: LoginRequest): Observable<LoginResponse> {
    return this.http.post<LoginResponse>(apiUrl(this.baseUrl, API_PATHS.login), body);
  }

  /** The second step of a sign-in that answered with a challenge. */
  loginSecondFactor(body: LoginMfaRequest): Observable<SessionTokens> {
    return this.http.post<SessionTokens>(apiUrl(this.baseUrl, API_PATHS.loginMfa), body);
  }

  /** The Bearer header comes from `bearerInterceptor`. */
  me(): Observable<MeResponse> {
    return this.http.get<MeResponse>(apiUrl(this.baseUrl, API_PATHS.me));
  }

  /** `PATCH …/me`: what the person may change of their own account (their language). */
  updateMe(body: UpdateMeRequest): Observable<MeResponse> {
    return this.http.patch<MeResponse>(apiUrl(this.baseUrl, API_PATHS.me), body);
  }
}
