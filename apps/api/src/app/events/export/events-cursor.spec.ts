import { decodeEventsCursor, encodeEventsCursor } from './events-cursor';

describe('events cursor', () => {
  const cursor = { occurredAt: '2026-12-06T05:23:04.123456Z', id: '9001' };

  it('should give back what it encoded, to the microsecond', () => {
    const encoded = encodeEventsCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeEventsCursor(encoded)).toEqual(cursor);
  });

  it('should take the largest bigint id and refuse one past it', () => {
    const max = { ...cursor, id: '9223372036854775807' };
    expect(decodeEventsCursor(encodeEventsCursor(max))).toEqual(max);
    expect(decodeEventsCursor(encodeEventsCursor({ ...cursor, id: '9223372036854775808' }))).toBe(
      null,
    );
  });

  it('should refuse another spelling of the same bytes', () => {
    const encoded = encodeEventsCursor(cursor);
    expect(decodeEventsCursor(`${encoded}A`)).toBe(null);
    expect(decodeEventsCursor(`${encoded}=`)).toBe(null);
  });

  it.each([
    ['an empty string', ''],
    ['not base64url', 'a+b/c='],
    ['too long', 'A'.repeat(129)],
    ['base64url of junk', Buffer.from('hello').toString('base64url')],
    ['a third key', Buffer.from('2026-12-06T05:23:04.123456Z|1|2').toString('base64url')],
    ['no id', Buffer.from('2026-12-06T05:23:04.123456Z|').toString('base64url')],
    ['a negative id', Buffer.from('2026-12-06T05:23:04.123456Z|-1').toString('base64url')],
    ['a leading zero', Buffer.from('2026-12-06T05:23:04.123456Z|01').toString('base64url')],
    ['an SQL fragment', Buffer.from("2026-12-06T05:23:04.123456Z|1' OR 1=1").toString('base64url')],
    ['30 February', Buffer.from('2026-02-30T00:00:00.000000Z|1').toString('base64url')],
    ['hour 24', Buffer.from('2026-12-06T24:00:00.000000Z|1').toString('base64url')],
    ['year 0', Buffer.from('0000-01-01T00:00:00.000000Z|1').toString('base64url')],
    ['milliseconds only', Buffer.from('2026-12-06T05:23:04.123Z|1').toString('base64url')],
    ['a local time', Buffer.from('2026-12-06T05:23:04.123456+01:00|1').toString('base64url')],
  ])('should refuse %s', (_, encoded) => {
    expect(decodeEventsCursor(encoded)).toBe(null);
  });

  it('should refuse every cursor with one character changed, or decode it to real keys', () => {
    const encoded = encodeEventsCursor(cursor);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let at = 0; at < encoded.length; at += 1) {
      for (const char of alphabet) {
        const tampered = encoded.slice(0, at) + char + encoded.slice(at + 1);
        const decoded = decodeEventsCursor(tampered);
        if (decoded === null) continue;
        // What survives is still an instant PostgreSQL takes and a bigint.
        expect(decoded.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
        expect(Number.isNaN(Date.parse(decoded.occurredAt))).toBe(false);
        expect(decoded.id).toMatch(/^[1-9]\d{0,18}$/);
      }
    }
  });
});
