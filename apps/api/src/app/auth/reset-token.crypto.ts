import { createHash, randomBytes } from 'node:crypto';

import { RESET_TOKEN_BYTES, RESET_TOKEN_PATTERN } from '@account-recovery/contracts';

/** A fresh raw token: 32 bytes from the CSPRNG, base64url. Only ever leaves by email. */
export function generateRawToken(): string {
  return randomBytes(RESET_TOKEN_BYTES).toString('base64url');
}

/** What the database stores and looks up: the hex SHA-256 of the raw token. */
export function hashToken(rawToken: string): string {
  return createHash('sha256').update(rawToken, 'utf8').digest('hex');
}

/** Rejects junk before it costs a database round trip. */
export function isWellFormedToken(rawToken: string): boolean {
  return RESET_TOKEN_PATTERN.test(rawToken);
}
