import { Secret } from 'otpauth';

import { generateTotpSecret, totpStep, totpUri } from './totp';

/** RFC 6238 appendix B, SHA-1: the ASCII seed "12345678901234567890", 8-digit values. */
const RFC_SEED = Secret.fromUTF8('12345678901234567890').base32;
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it('should match the RFC test vectors in their last six digits', () => {
    for (const [seconds, eight] of RFC_VECTORS) {
      const step = Math.floor(seconds / 30);
      expect(totpStep(RFC_SEED, eight.slice(2), seconds * 1000)).toBe(step);
    }
  });

  it('should accept one step of drift either way and nothing further', () => {
    const [seconds, eight] = RFC_VECTORS[3] as [number, string];
    const code = eight.slice(2);
    const step = Math.floor(seconds / 30);
    for (const offset of [-1, 0, 1]) {
      expect(totpStep(RFC_SEED, code, (seconds + offset * 30) * 1000)).toBe(step);
    }
    for (const offset of [-3, -2, 2, 3]) {
      expect(totpStep(RFC_SEED, code, (seconds + offset * 30) * 1000)).toBeNull();
    }
  });

  it('should make 160-bit secrets and an otpauth URI with the issuer and account', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, 'Contoso Account', 'ada@example.com'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('issuer')).toBe('Contoso Account');
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
    expect(decodeURIComponent(uri.pathname)).toBe('/Contoso Account:ada@example.com');
  });
});
