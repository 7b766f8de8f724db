import { API_PATHS, ERROR_CODES, PORTAL_ROUTES } from '@account-recovery/contracts';

import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';

import { API_BASE_URL, apiUrl, isApiRequest } from '../shared/api-base-url';
import { toApiFailure } from '../shared/api-failure';
import { Session } from './session';

/** Endpoints for people who are not signed in: a session token has no business there. */
const ANONYMOUS_PATHS: readonly string[] = [
  API_PATHS.login,
  API_PATHS.loginMfa,
  API_PATHS.forgotPassword,
  API_PATHS.validateResetToken,
  API_PATHS.resetPassword,
  API_PATHS.resetPasswordCode,
];

/**
 * Adds `Authorization: Bearer …` to calls to our API while signed in. A 401 UNAUTHORIZED on
 * such a call means the session is over (expired, or issued before a password reset): sign
 * out and go to the sign-in page. Other 401s (REAUTH_REQUIRED: the sign-in is too old for
 * adding a factor) are the page's to handle.
 */
export const bearerInterceptor: HttpInterceptorFn = (request, next) => {
  const session = inject(Session);
  const baseUrl = inject(API_BASE_URL);
  const token = session.accessToken();
  if (
    token === null ||
    !isApiRequest(baseUrl, request.url) ||
    ANONYMOUS_PATHS.some((path) => request.url === apiUrl(baseUrl, path))
  ) {
    return next(request);
  }
  const router = inject(Router);
  return next(request.clone({ setHeaders: { Authorization: `Bearer ${token}` } })).pipe(
    catchError((error: unknown) => {
      if (
        error instanceof HttpErrorResponse &&
        error.status === 401 &&
        endsTheSession(toApiFailure(error).code) &&
        session.accessToken() === token
      ) {
        session.signOut();
        void router.navigateByUrl(`/${PORTAL_ROUTES.login}`);
      }
      return throwError(() => error);
    }),
  );
};

/** UNAUTHORIZED, or no code of ours at all (a 401 from a proxy in front of the API). */
function endsTheSession(code: string | null): boolean {
  return code === null || code === ERROR_CODES.UNAUTHORIZED;
}
