import { PORTAL_ROUTES } from '@account-recovery/contracts';

import { inject } from '@angular/core';
import { Router } from '@angular/router';

import { REAUTH_REASON, RETURN_URL_PARAM, SIGN_IN_REASON_PARAM } from './return-url';
import { Session } from './session';

/**
 * For REAUTH_REQUIRED (a change that wants a recent sign-in): ends the session and opens the
 * sign-in page, which says why and comes back to `returnUrl`. Call in an injection context;
 * the returned function runs the step.
 */
export function signInAgain(): (returnUrl: string) => void {
  const session = inject(Session);
  const router = inject(Router);
  return (returnUrl) => {
    session.signOut();
    void router.navigate(['/', PORTAL_ROUTES.login], {
      queryParams: { [RETURN_URL_PARAM]: returnUrl, [SIGN_IN_REASON_PARAM]: REAUTH_REASON },
    });
  };
}
