import { PORTAL_ROUTES } from '@account-recovery/contracts';

import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';

import { Session } from './session';

/** Pages for signed-in people; everyone else goes to the sign-in page. */
export const signedInGuard: CanActivateFn = () =>
  inject(Session).isSignedIn() || inject(Router).createUrlTree(['/', PORTAL_ROUTES.login]);
