import { PORTAL_ROUTES } from '@account-recovery/contracts';

import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';

import { RETURN_URL_PARAM } from './return-url';
import { Session } from './session';

/**
 * Pages for signed-in people; everyone else goes to the sign-in page, which brings them back
 * to the page they asked for.
 */
export const signedInGuard: CanActivateFn = (_route, state) =>
  inject(Session).isSignedIn() ||
  inject(Router).createUrlTree(['/', PORTAL_ROUTES.login], {
    queryParams: state.url === `/${PORTAL_ROUTES.home}` ? {} : { [RETURN_URL_PARAM]: state.url },
  });
