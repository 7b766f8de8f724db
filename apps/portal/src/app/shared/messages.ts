/** Messages more than one page shows. Every string a person reads goes through $localize. */

export function tooManyAttemptsMessage(retryAfterSeconds: number | null): string {
  if (retryAfterSeconds === null) {
    return $localize`:@@common.tooManyAttemptsLater:Too many attempts — try again later.`;
  }
  if (retryAfterSeconds === 1) {
    return $localize`:@@common.tooManyAttemptsOneSecond:Too many attempts — try again in 1 second.`;
  }
  return $localize`:@@common.tooManyAttempts:Too many attempts — try again in ${retryAfterSeconds}:seconds: seconds.`;
}

export function somethingWentWrongMessage(): string {
  return $localize`:@@common.somethingWentWrong:Something went wrong on our side. Please try again in a moment.`;
}
