import { randomInt } from 'node:crypto';

/**
 * Recovery codes: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L, no
 * U), shown as `XXXXX-XXXXX`; about 49 bits each. Typed in any case, with or without the
 * dash or spaces.
 */
export const RECOVERY_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_CODE_LENGTH = 10;
export const RECOVERY_CODE_COUNT = 10;

/** The 8-digit code of a reset email. */
export const RESET_CODE_DIGITS = 8;

/** Wrong tries after which a reset code, a challenge or a link's second factor is dead. */
export const MAX_CODE_ATTEMPTS = 5;

export function generateRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) {
    code += RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)];
  }
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** The canonical form of a typed recovery code, or null when it cannot be one. */
export function normaliseRecoveryCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== RECOVERY_CODE_LENGTH) return null;
  for (const char of code) if (!RECOVERY_CODE_ALPHABET.includes(char)) return null;
  return code;
}

export function generateResetCode(): string {
  return String(randomInt(10 ** RESET_CODE_DIGITS)).padStart(RESET_CODE_DIGITS, '0');
}

/** An authenticator code: six digits, spaces allowed as apps show them ("123 456"). */
export function normaliseTotpCode(typed: string): string | null {
  const code = typed.replace(/\s/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}

/** An emailed reset code: eight digits, spaces or a dash allowed. */
export function normaliseResetCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '');
  return /^\d{8}$/.test(code) ? code : null;
}
