import {
  API_PATHS,
  type MfaCodeRequest,
  type RecoveryCodesResponse,
  type TotpEnrolmentResponse,
} from '@account-recovery/contracts';

import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { API_BASE_URL, apiUrl } from '../shared/api-base-url';

/** The signed-in person's second factor: add an authenticator, new recovery codes, removal. */
@Injectable({ providedIn: 'root' })
export class MfaApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  /** A pending authenticator; 401 REAUTH_REQUIRED when the sign-in is over ten minutes old. */
  startTotp(): Observable<TotpEnrolmentResponse> {
    return this.http.post<TotpEnrolmentResponse>(apiUrl(this.baseUrl, API_PATHS.mfaTotp), {});
  }

  /** Turns the pending authenticator on with one of its codes; the answer's codes show once. */
  confirmTotp(body: MfaCodeRequest): Observable<RecoveryCodesResponse> {
    return this.http.post<RecoveryCodesResponse>(
      apiUrl(this.baseUrl, API_PATHS.mfaTotpConfirm),
      body,
    );
  }

  /** A new set of recovery codes; the old set stops working. */
  regenerateRecoveryCodes(body: MfaCodeRequest): Observable<RecoveryCodesResponse> {
    return this.http.post<RecoveryCodesResponse>(
      apiUrl(this.baseUrl, API_PATHS.mfaRecoveryCodes),
      body,
    );
  }

  /** Removes the authenticator and the recovery codes (204). */
  removeFactor(body: MfaCodeRequest): Observable<void> {
    return this.http.delete<void>(apiUrl(this.baseUrl, API_PATHS.mfa), { body });
  }
}
