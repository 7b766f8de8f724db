import { buildLocale } from '../locale/portal-locale';

/** Messages more than one page shows. Every string a person reads goes through $localize. */

export function tooManyAttemptsMessage(retryAfterSeconds: number | null): string {
  if (retryAfterSeconds === null) {
    return $localize`:@@common.tooManyAttemptsLater:Too many attempts — try again later.`;
  }
  return $localize`:@@common.tooManyAttempts:Too many attempts — try again in ${secondsIn(retryAfterSeconds)}:duration:.`;
}

/**
 * "1 second", "5 Sekunden", "٥ ثوانٍ": the plural forms of every language (Arabic has six)
 * come from Intl, not from English rules in code.
 */
function secondsIn(seconds: number): string {
  return new Intl.NumberFormat(buildLocale(), {
    style: 'unit',
    unit: 'second',
    unitDisplay: 'long',
  }).format(seconds);
}

export function somethingWentWrongMessage(): string {
  return $localize`:@@common.somethingWentWrong:Something went wrong on our side. Please try again in a moment.`;
}
