import type { ValidatorFn } from '@angular/forms';

/**
 * The codes a person types: an authenticator's (6 digits), a recovery code (10 letters and
 * digits, shown as XXXXX-XXXXX) and the code of a reset email (8 digits). People paste them
 * with spaces or type them in lower case: the portal tidies them before checking or sending.
 */
export const TOTP_CODE_LENGTH = 6;
export const RESET_CODE_LENGTH = 8;
const RECOVERY_CODE = /^[A-Z0-9]{5}-?[A-Z0-9]{5}$/;

/** Digits only: spaces and dashes people paste with a code go. */
export function tidyDigits(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/** Upper case, no spaces, one dash in the middle: `abcde 12345` → `ABCDE-12345`. */
export function tidyRecoveryCode(value: string): string {
  const compact = value.replace(/[\s-]/g, '').toUpperCase();
  return compact.length === 10 ? `${compact.slice(0, 5)}-${compact.slice(5)}` : compact;
}

/** `code`: the value, tidied, is not `length` digits. */
export function digitsCode(length: number): ValidatorFn {
  const pattern = new RegExp(`^\\d{${length}}$`);
  return (control) => {
    const value = tidyDigits(control.value as string);
    return value === '' || pattern.test(value) ? null : { code: true };
  };
}

/** `code`: the value, tidied, is not a recovery code. */
export const recoveryCode: ValidatorFn = (control) => {
  const value = tidyRecoveryCode(control.value as string);
  return value === '' || RECOVERY_CODE.test(value) ? null : { code: true };
};
