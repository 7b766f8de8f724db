import { ERROR_CODES } from '@account-recovery/contracts';

import { DestroyRef, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';

import { CurrentUser } from '../session/current-user';
import { signInAgain } from '../session/sign-in-again';
import type { ApiFailure } from '../shared/api-failure';
import { describeFailure, type FailureMessages } from '../shared/error-description';

/** The words of a failed staff call, or null when it was dealt with another way. */
export type StaffFailureHandler = (
  failure: ApiFailure,
  messages?: FailureMessages,
) => string | null;

/**
 * How every staff page answers a failed call (docs/architecture.md §11). REAUTH_REQUIRED, a
 * session opened without the second factor: sign in again and come back. Any other 401 has
 * already signed out (bearerInterceptor). MFA_ENROLLMENT_REQUIRED: `/me` is read again, so the
 * staff area shows the way to the account page. Else the page's words, or the usual ones.
 * Call in an injection context.
 */
export function staffFailureHandler(): StaffFailureHandler {
  const reauthenticate = signInAgain();
  const router = inject(Router);
  const currentUser = inject(CurrentUser);
  const destroyRef = inject(DestroyRef);
  return (failure, messages = {}) => {
    if (failure.status === 401) {
      if (failure.code === ERROR_CODES.REAUTH_REQUIRED) reauthenticate(router.url);
      return null;
    }
    if (failure.code === ERROR_CODES.MFA_ENROLLMENT_REQUIRED) {
      currentUser
        .load()
        .pipe(takeUntilDestroyed(destroyRef))
        .subscribe({ error: () => undefined });
      return enrolFirstMessage();
    }
    return describeFailure(failure, {
      [ERROR_CODES.FORBIDDEN]: () =>
        $localize`:@@staff.forbidden:Your role does not allow this. Ask an administrator if you need it.`,
      [ERROR_CODES.STAFF_ACCOUNT_PROTECTED]: () =>
        $localize`:@@staff.staffAccountProtected:This is a staff account: only an administrator can do this. Ask one to help.`,
      ...messages,
    });
  };
}

export function enrolFirstMessage(): string {
  return $localize`:@@staff.enrolFirst:The staff area needs two-step verification on your own account. Add an authenticator on your account page first.`;
}
