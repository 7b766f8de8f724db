import { createHmac, timingSafeEqual } from 'node:crypto';

/** Standard Webhooks secrets: `whsec_` then the base64 of the key bytes. */
export const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** The Standard Webhooks specification asks for keys of 24 to 64 bytes. */
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;

/** The key bytes of a `whsec_…` secret, or null when it is not one (strict base64, 24–64 bytes). */
export function decodeSecret(secret: string): Buffer | null {
  if (!secret.startsWith(SECRET_PREFIX)) return null;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return null;
  const key = Buffer.from(encoded, 'base64');
  // Buffer.from ignores what it cannot decode; a round trip proves nothing was ignored.
  if (key.toString('base64') !== encoded) return null;
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) return null;
  return key;
}

/**
 * The `webhook-signature` header value: `v1,` and the base64 HMAC-SHA256, under the key
 * bytes, of `${id}.${timestamp}.${body}` (timestamp in unix seconds, body exactly as sent).
 */
export function signWebhook(key: Buffer, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest();
  return `v1,${mac.toString('base64')}`;
}

/**
 * What a receiver does: true when one of the space-separated `v1,` signatures matches and
 * the timestamp is within `toleranceSeconds` of `nowSeconds`. Documented in docs/webhooks.md.
 */
export function verifyWebhook(
  key: Buffer,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  if (!/^\d+$/.test(headers.timestamp)) return false;
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(key, headers.id, timestamp, body).slice(3), 'base64');
  return headers.signature.split(' ').some((candidate) => {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
