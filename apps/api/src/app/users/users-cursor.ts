import { EMAIL_MAX_LENGTH } from '@account-recovery/contracts';

import { AccountsAfter } from './user-accounts';

/**
 * The opaque cursor of `GET /v1/users?query=`: the (email, id) of the last user a page gave,
 * as base64url JSON (an address may hold any separator one would pick). Addresses are
 * unique; the id keeps the order total all the same.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** The longest cursor this API writes: an address of EMAIL_MAX_LENGTH multi-byte characters. */
export const USERS_CURSOR_MAX_LENGTH = 1500;

export function encodeUsersCursor(after: AccountsAfter): string {
  return Buffer.from(JSON.stringify([after.email, after.id]), 'utf8').toString('base64url');
}

/**
 * The cursor a client sent back, or null when it is not one this API could have written:
 * what reaches SQL is then an address-sized string and a uuid, so a tampered cursor is a
 * 400, never a database error.
 */
export function decodeUsersCursor(encoded: string): AccountsAfter | null {
  if (encoded.length > USERS_CURSOR_MAX_LENGTH || !BASE64URL.test(encoded)) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) return null;
  const [email, id] = decoded as unknown[];
  if (typeof email !== 'string' || typeof id !== 'string') return null;
  if (email.length === 0 || email.length > EMAIL_MAX_LENGTH || !UUID.test(id)) return null;
  // PostgreSQL text cannot hold NUL; refuse it here rather than as a database error.
  if (email.includes('\u0000')) return null;
  const after = { email, id };
  // Base64 ignores stray trailing bits: only the one spelling this API writes is a cursor.
  return encodeUsersCursor(after) === encoded ? after : null;
}
