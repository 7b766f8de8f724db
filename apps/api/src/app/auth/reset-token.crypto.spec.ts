import { createHash } from 'node:crypto';

import { generateRawToken, hashToken, isWellFormedToken } from './reset-token.crypto';

describe('reset token crypto', () => {
  it('should make 43-character base64url tokens from 32 random bytes', () => {
    const token = generateRawToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('should never make the same token twice', () => {
    const tokens = Array.from({ length: 1000 }, generateRawToken);
    expect(new Set(tokens).size).toBe(1000);
  });

  it('should hash with SHA-256 to lower-case hex', () => {
    // FIPS 180-2 test vector.
    expect(hashToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const token = generateRawToken();
    expect(hashToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toBe(hashToken(generateRawToken()));
  });

  it('should accept the tokens it makes', () => {
    for (let i = 0; i < 100; i += 1) expect(isWellFormedToken(generateRawToken())).toBe(true);
  });

  it('should reject padding, a wrong length and characters outside base64url', () => {
    const token = generateRawToken();
    const malformed = [
      '',
      token.slice(0, 42),
      `${token}A`,
      `${token.slice(0, 42)}=`,
      `${token}=`,
      `${token.slice(0, 41)}==`,
      `${token.slice(0, 42)}+`,
      `${token.slice(0, 42)}/`,
      `${token.slice(0, 42)}.`,
      `${token.slice(0, 42)} `,
      ` ${token.slice(1)}`,
      `${token.slice(0, 42)}\n`,
      `${token.slice(0, 42)}é`,
      `${token.slice(0, 42)}\u0000`,
      randomBytesBase64(),
    ];
    for (const candidate of malformed)
      expect([candidate, isWellFormedToken(candidate)]).toEqual([candidate, false]);
  });
});

/** What a client using plain base64 instead of base64url would send: 44 characters with "=". */
function randomBytesBase64(): string {
  return Buffer.from(generateRawToken(), 'base64url').toString('base64');
}
