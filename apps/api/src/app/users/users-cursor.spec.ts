import { decodeUsersCursor, encodeUsersCursor, USERS_CURSOR_MAX_LENGTH } from './users-cursor';

describe('users cursor', () => {
  const after = { email: 'jane|doe"\\@example.com', id: '0b6f3c1e-2d4a-4f5b-9c8d-7e6f5a4b3c2d' };

  it('should give back what it encoded, separators and quotes included', () => {
    const encoded = encodeUsersCursor(after);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeUsersCursor(encoded)).toEqual(after);
  });

  it('should fit the longest address in the length the query allows', () => {
    // Three UTF-8 bytes per UTF-16 unit is the most an address of 254 units can take.
    const longest = { ...after, email: `${'漢'.repeat(64)}@${'字'.repeat(189)}` };
    expect(longest.email).toHaveLength(254);
    const encoded = encodeUsersCursor(longest);
    expect(encoded.length).toBeLessThanOrEqual(USERS_CURSOR_MAX_LENGTH);
    expect(decodeUsersCursor(encoded)).toEqual(longest);
  });

  it('should refuse another spelling of the same bytes', () => {
    const encoded = encodeUsersCursor(after);
    expect(decodeUsersCursor(`${encoded}A`)).toBe(null);
    expect(decodeUsersCursor(`${encoded}=`)).toBe(null);
  });

  const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['an empty string', ''],
    ['not base64url', 'a+b/c='],
    ['too long', 'A'.repeat(USERS_CURSOR_MAX_LENGTH + 1)],
    ['base64url of junk', Buffer.from('hello').toString('base64url')],
    ['an object', json({ email: after.email, id: after.id })],
    ['one element', json([after.email])],
    ['three elements', json([after.email, after.id, 1])],
    ['a number for the address', json([1, after.id])],
    ['an empty address', json(['', after.id])],
    ['an address past the limit', json(['a'.repeat(255), after.id])],
    ['a NUL in the address', json(['a\u0000b', after.id])],
    ['not a uuid', json([after.email, "1' OR 1=1"])],
    ['an upper-case uuid', json([after.email, after.id.toUpperCase()])],
  ])('should refuse %s', (_, encoded) => {
    expect(decodeUsersCursor(encoded)).toBe(null);
  });
});
