import { PORTAL_ROUTES } from '@account-recovery/contracts';

import { inject } from '@angular/core';
import { Router, type CanMatchFn } from '@angular/router';
import { catchError, map, of } from 'rxjs';

import { CurrentUser, isStaff } from '../session/current-user';
import { RETURN_URL_PARAM } from '../session/return-url';
import { Session } from '../session/session';

/**
 * The staff area matches only for a signed-in member of staff, so nobody else even downloads
 * its chunk. Signed out: the sign-in page, which comes back here. Signed in without a role, or
 * when `/me` cannot be read: the home page. The API checks the roles again on every call.
 */
export const staffGuard: CanMatchFn = (_route, segments) => {
  const router = inject(Router);
  const currentUser = inject(CurrentUser);
  if (!inject(Session).isSignedIn()) {
    const returnUrl = `/${segments.map((segment) => segment.path).join('/')}`;
    return router.createUrlTree(['/', PORTAL_ROUTES.login], {
      queryParams: { [RETURN_URL_PARAM]: returnUrl },
    });
  }
  const home = router.createUrlTree(['/', PORTAL_ROUTES.home]);
  const known = currentUser.user();
  if (known !== null) return isStaff(known) || home;
  return currentUser.load().pipe(
    map((user) => isStaff(user) || home),
    // A 401 has already signed out and left for the sign-in page (bearerInterceptor).
    catchError(() => of(home)),
  );
};
