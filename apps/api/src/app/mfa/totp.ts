import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as docs/architecture.md §9 fixes it: SHA-1, 6 digits, 30 s, one step of drift either way. */
const PERIOD = 30;
const DIGITS = 6;
const WINDOW = 1;
/** 160 bits, the HMAC-SHA-1 block size RFC 4226 recommends. */
const SECRET_BYTES = 20;

function totpOf(secretBase32: string, issuer = '', label = ''): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function generateTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** `otpauth://totp/Issuer:account?...`: what the QR code holds. */
export function totpUri(secretBase32: string, issuer: string, account: string): string {
  return totpOf(secretBase32, issuer, account).toString();
}

/**
 * The time step a code belongs to, or null when it matches none within the window. The
 * caller accepts it only when the step is later than the last one used, so each code
 * counts once (RFC 6238 §5.2).
 */
export function totpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  const delta = totpOf(secretBase32).validate({ token: code, timestamp: now, window: WINDOW });
  if (delta === null) return null;
  return Math.floor(now / 1000 / PERIOD) + delta;
}
