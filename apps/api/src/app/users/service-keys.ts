import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new service key: a recognisable prefix and 32 random bytes. Shown once, never stored. */
export function generateServiceKey(): string {
  return `arsk_${randomBytes(32).toString('base64url')}`;
}

/** What the database stores and looks keys up by. */
export function hashServiceKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The keys from SERVICE_API_KEYS (a quick start without the CLI). Compared as SHA-256
 * digests with `timingSafeEqual` against every key, without stopping at a match, so
 * neither the length nor the position of a key shows in the timing.
 */
export class EnvKeyMatcher {
  private readonly digests: Buffer[];

  constructor(keys: string[]) {
    this.digests = keys.map((key) => createHash('sha256').update(key, 'utf8').digest());
  }

  matches(presented: string): boolean {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let matched = false;
    for (const key of this.digests) matched = timingSafeEqual(digest, key) || matched;
    return matched;
  }
}
