/**
 * Password policy after NIST SP 800-63B: length and a blocklist, no composition rules.
 * Pure and framework-free: the portal runs it for live feedback (without the blocklist,
 * which stays on the server) and the API runs it with the blocklist before hashing.
 */
/** The default of PASSWORD_MIN_LENGTH (NIST SP 800-63B-4: 15 for a single-factor password). */
export const PASSWORD_MIN_LENGTH = 15;
/** The bounds of PASSWORD_MIN_LENGTH. */
export const PASSWORD_MIN_LENGTH_FLOOR = 8;
export const PASSWORD_MIN_LENGTH_CEILING = 64;
/**
 * At least 64 characters of any script must be allowed (NIST SP 800-63B-4). The API hashes
 * a fixed-length HMAC of the password, so bcrypt's 72-byte input cap no longer limits this.
 */
export const PASSWORD_MAX_LENGTH = 64;
/**
 * A bound on the work per password (4 bytes per character at most): 64 characters after NFKC
 * never exceed it, so it only refuses what the character limit already refuses.
 */
export const PASSWORD_MAX_BYTES = 256;

export const PASSWORD_RULES = {
  TOO_SHORT: 'TOO_SHORT',
  TOO_LONG: 'TOO_LONG',
  COMMON: 'COMMON',
  CONTAINS_EMAIL: 'CONTAINS_EMAIL',
  CONTAINS_PRODUCT_NAME: 'CONTAINS_PRODUCT_NAME',
  /** One of the account's last PASSWORD_HISTORY passwords (server only). */
  RECENTLY_USED: 'RECENTLY_USED',
  /** Known to the configured breach corpus, PWNED_PASSWORDS_URL (server only). */
  BREACHED: 'BREACHED',
} as const;

export type PasswordRule = (typeof PASSWORD_RULES)[keyof typeof PASSWORD_RULES];

export interface PasswordPolicyContext {
  /** PASSWORD_MIN_LENGTH as the server has it; PASSWORD_MIN_LENGTH when absent. */
  minLength?: number;
  /** The account's address; its local part may not appear in the password. */
  email?: string;
  /** The product's name; it may not appear in the password either. */
  productName?: string;
  /** Lower-cased common passwords; the check is skipped when absent. */
  isCommon?: (normalisedLowerCase: string) => boolean;
}

/** Local parts shorter than this are too common as substrings to reject on. */
const MIN_SUBSTRING_CHECK_LENGTH = 3;

/** NFKC, the form in which a password is checked, hashed and compared. */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

export function passwordLength(password: string): number {
  return Array.from(normalisePassword(password)).length;
}

export function passwordByteLength(password: string): number {
  return new TextEncoder().encode(normalisePassword(password)).length;
}

/** Every rule the password breaks, in a stable order; empty when it is acceptable. */
export function checkPasswordPolicy(
  password: string,
  context: PasswordPolicyContext = {},
): PasswordRule[] {
  const normalised = normalisePassword(password);
  const lower = normalised.toLowerCase();
  const broken: PasswordRule[] = [];
  const minLength = context.minLength ?? PASSWORD_MIN_LENGTH;
  if (Array.from(normalised).length < minLength) broken.push(PASSWORD_RULES.TOO_SHORT);
  if (
    Array.from(normalised).length > PASSWORD_MAX_LENGTH ||
    new TextEncoder().encode(normalised).length > PASSWORD_MAX_BYTES
  )
    broken.push(PASSWORD_RULES.TOO_LONG);
  if (context.isCommon?.(lower)) broken.push(PASSWORD_RULES.COMMON);
  const localPart = context.email
    ? context.email.normalize('NFKC').toLowerCase().split('@')[0]
    : '';
  if (localPart.length >= MIN_SUBSTRING_CHECK_LENGTH && lower.includes(localPart)) {
    broken.push(PASSWORD_RULES.CONTAINS_EMAIL);
  }
  const product = context.productName?.normalize('NFKC').toLowerCase().replace(/\s+/g, '') ?? '';
  if (product.length >= MIN_SUBSTRING_CHECK_LENGTH && lower.replace(/\s+/g, '').includes(product)) {
    broken.push(PASSWORD_RULES.CONTAINS_PRODUCT_NAME);
  }
  return broken;
}
