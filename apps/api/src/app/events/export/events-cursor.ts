/**
 * The opaque cursor of `GET /v1/events`: the (occurred_at, id) of the last row a page gave,
 * base64url-encoded. The time keeps PostgreSQL's microseconds (a JavaScript Date would cut
 * them to milliseconds, and the next page would then repeat or skip rows of that
 * millisecond); the id breaks ties between rows of the same microsecond.
 */
export interface EventsCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, UTC, as PostgreSQL's to_char gives it. */
  occurredAt: string;
  /** The row's bigint id, in decimal. */
  id: string;
}

const MICROSECOND_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;
const BIGINT_MAX = 9223372036854775807n;
/** Far longer than any cursor this API writes (about 50 characters); refuses junk early. */
const MAX_ENCODED_LENGTH = 128;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeEventsCursor(cursor: EventsCursor): string {
  return Buffer.from(`${cursor.occurredAt}|${cursor.id}`, 'utf8').toString('base64url');
}

/**
 * The cursor a client sent back, or null when it is not one this API could have written:
 * every value reaching SQL is then a real instant and a bigint, so a tampered cursor is a
 * 400, never a database error.
 */
export function decodeEventsCursor(encoded: string): EventsCursor | null {
  if (encoded.length > MAX_ENCODED_LENGTH || !BASE64URL.test(encoded)) return null;
  const [occurredAt, id, ...rest] = Buffer.from(encoded, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || occurredAt === undefined || id === undefined) return null;
  if (!isCalendarInstant(occurredAt) || !/^[1-9]\d{0,18}$/.test(id)) return null;
  if (BigInt(id) > BIGINT_MAX) return null;
  // Base64 ignores stray trailing bits: only the one spelling this API writes is a cursor.
  return encodeEventsCursor({ occurredAt, id }) === encoded ? { occurredAt, id } : null;
}

/** Whether the fields name a real UTC instant (no 30 February, no hour 24). */
function isCalendarInstant(value: string): boolean {
  const match = MICROSECOND_INSTANT.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  if (year < 1970) return false;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}
