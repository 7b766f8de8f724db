import { API_PATHS, PORTAL_ROUTES } from '@account-recovery/contracts';

import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';

import { API_BASE_URL, apiUrl, isApiRequest } from '../shared/api-base-url';
import { Session } from './session';

/** Endpoints for people who are not signed in: a session token has no business there. */
const ANONYMOUS_PATHS: readonly string[] = [
  API_PATHS.login,
  API_PATHS.forgotPassword,
  API_PATHS.validateResetToken,
  API_PATHS.resetPassword,
];

/**
 * Adds `Authorization: Bearer …` to calls to our API while signed in. A 401 on such a call
 * means the session is over (expired, or issued before a password reset): sign out and go
 * to the sign-in page.
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
        session.accessToken() === token
      ) {
        session.signOut();
        void router.navigateByUrl(`/${PORTAL_ROUTES.login}`);
      }
      return throwError(() => error);
    }),
  );
};
