import { createHash } from 'node:crypto';

/**
 * A 64-bit PostgreSQL advisory-lock key for a purpose and its parts, as a decimal string
 * for a `$n::bigint` parameter. A collision only makes two unrelated holders take turns.
 */
export function advisoryLockKey(purpose: string, ...parts: string[]): string {
  const digest = createHash('sha256')
    .update([purpose, ...parts].join('\u0000'), 'utf8')
    .digest();
  return digest.readBigInt64BE(0).toString();
}
