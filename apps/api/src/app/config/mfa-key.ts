import { createHash } from 'node:crypto';

import { EnvReader } from './env-reader';

/**
 * The key of development and test runs: fixed, so enrolled authenticators survive a restart
 * of `npm start` (a key drawn per start would lock every enrolled person out of sign-in and
 * reset at the next restart); public, so production refuses it.
 */
export const DEVELOPMENT_MFA_KEY = createHash('sha256')
  .update('account-recovery development-only MFA key, not a secret')
  .digest('hex');

const HEX_KEY = /^[0-9a-f]{64}$/i;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * MFA_ENCRYPTION_KEY: 32 random bytes, as 64 hex characters or base64 (`openssl rand -hex
 * 32`). It encrypts authenticator secrets and keys the hashes of recovery and reset codes.
 * Returns the key as hex; problems name the variable, never its value.
 */
export function readMfaKey(read: EnvReader, production: boolean): string {
  const raw = read.raw('MFA_ENCRYPTION_KEY');
  if (raw === undefined) {
    if (production) read.require('MFA_ENCRYPTION_KEY', raw, 'in production');
    return DEVELOPMENT_MFA_KEY;
  }
  let key: string | null = null;
  if (HEX_KEY.test(raw)) key = raw.toLowerCase();
  else if (BASE64_KEY.test(raw)) key = Buffer.from(raw, 'base64').toString('hex');
  if (key === null || key.length !== 64) {
    read.problems.push('MFA_ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64');
    return DEVELOPMENT_MFA_KEY;
  }
  if (production && (key === DEVELOPMENT_MFA_KEY || new Set(key).size < 4)) {
    read.problems.push('MFA_ENCRYPTION_KEY is a placeholder value; generate a random one');
  }
  return key;
}
