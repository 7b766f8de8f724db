/** RFC 5321 limits the forward path to 254 characters. */
export const EMAIL_MAX_LENGTH = 254;
export const DISPLAY_NAME_MAX_LENGTH = 100;

/**
 * The one form in which an address is stored, looked up and mailed: trimmed, NFKC,
 * lower-case. Doing it once, here, is what keeps Unicode look-alikes from reaching a
 * different account than the one stored (Django CVE-2019-19844).
 */
export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}
