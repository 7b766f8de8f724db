import {
  API_PATHS,
  type ForgotPasswordRequest,
  type MessageResponse,
  type ResetCodeRequest,
  type ResetCodeResponse,
  type ResetPasswordRequest,
  type ValidateResetTokenRequest,
  type ValidateResetTokenResponse,
} from '@account-recovery/contracts';

import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { API_BASE_URL, apiUrl } from '../shared/api-base-url';

/** The password-reset flow: request a link, trade its code, check its token, set the password. */
@Injectable({ providedIn: 'root' })
export class PasswordResetApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  /** 202 with the same neutral message whether or not the address has an account. */
  requestResetLink(body: ForgotPasswordRequest): Observable<MessageResponse> {
    return this.http.post<MessageResponse>(apiUrl(this.baseUrl, API_PATHS.forgotPassword), body);
  }

  validateToken(body: ValidateResetTokenRequest): Observable<ValidateResetTokenResponse> {
    return this.http.post<ValidateResetTokenResponse>(
      apiUrl(this.baseUrl, API_PATHS.validateResetToken),
      body,
    );
  }

  /** The 8-digit code of a reset email, for that request's token; CODE_INVALID alike for all. */
  exchangeCode(body: ResetCodeRequest): Observable<ResetCodeResponse> {
    return this.http.post<ResetCodeResponse>(
      apiUrl(this.baseUrl, API_PATHS.resetPasswordCode),
      body,
    );
  }

  resetPassword(body: ResetPasswordRequest): Observable<MessageResponse> {
    return this.http.post<MessageResponse>(apiUrl(this.baseUrl, API_PATHS.resetPassword), body);
  }
}
