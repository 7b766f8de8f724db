import { createHmac } from 'node:crypto';

import { normalisePassword } from '@account-recovery/contracts';

/**
 * How a password is stored. Two schemes can be in `users.password_hash`:
 *
 * - **peppered** (what every new hash is): `$ar-hmac1$<pepper id>` followed by a bcrypt hash
 *   (`$2b$<cost>$…`) of base64(HMAC-SHA-384(pepper, NFKC(password))). The HMAC has a fixed
 *   length of 64 ASCII characters, under bcrypt's 72-byte cap, so passwords of any script
 *   and length count whole; base64, because raw digest bytes may hold NUL, where bcrypt
 *   stops reading. The pepper id names the pepper, so hashes made before a rotation still
 *   verify with `PASSWORD_PEPPER_PREVIOUS`.
 * - **legacy**: a bare bcrypt hash of NFKC(password), as stored before peppering. It still
 *   verifies (for passwords of at most 72 bytes, all the old policy allowed) and is
 *   replaced by a peppered hash at the next successful sign-in or reset.
 */
export const PEPPERED_PREFIX = '$ar-hmac1$';

const BCRYPT = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;
const PEPPERED = /^\$ar-hmac1\$([0-9a-f]{8})(\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53})$/;

/** bcrypt reads at most 72 bytes of its input; a legacy hash saw no more than that. */
export const BCRYPT_MAX_INPUT_BYTES = 72;

export type StoredHash =
  | { scheme: 'peppered'; pepperId: string; bcrypt: string; cost: number }
  | { scheme: 'legacy'; bcrypt: string; cost: number };

/** A pepper and the short, public id that marks the hashes made with it. */
export interface Pepper {
  readonly id: string;
  readonly secret: string;
}

/**
 * The id is a truncated HMAC of a fixed label under the pepper: stable across restarts and
 * replicas without configuring it, and 32 bits say nothing useful about a 32+ character secret.
 */
export function pepperOf(secret: string): Pepper {
  const id = createHmac('sha256', secret)
    .update('account-recovery password pepper id')
    .digest('hex')
    .slice(0, 8);
  return { id, secret };
}

/** What bcrypt is given for a peppered hash: 64 base64 characters, no NUL, whatever the input. */
export function pepperedInput(password: string, pepper: Pepper): string {
  return createHmac('sha384', pepper.secret).update(normalisePassword(password)).digest('base64');
}

export function encodePeppered(pepper: Pepper, bcryptHash: string): string {
  return `${PEPPERED_PREFIX}${pepper.id}${bcryptHash}`;
}

/** The scheme, pepper and bcrypt cost of a stored hash; null for anything unrecognised. */
export function parseStoredHash(stored: string): StoredHash | null {
  const peppered = PEPPERED.exec(stored);
  if (peppered) {
    const bcrypt = peppered[2];
    return { scheme: 'peppered', pepperId: peppered[1], bcrypt, cost: costOf(bcrypt) };
  }
  const legacy = BCRYPT.exec(stored);
  return legacy ? { scheme: 'legacy', bcrypt: stored, cost: Number(legacy[1]) } : null;
}

function costOf(bcryptHash: string): number {
  return Number(bcryptHash.slice(4, 6));
}
