import { TestAuthenticator, totpAt } from './totp';

/** RFC 6238 appendix B, SHA-1 seed "12345678901234567890" (base32), last six digits. */
const RFC_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('totpAt (the tests own RFC 6238)', () => {
  it('should match the RFC test vectors', () => {
    for (const [seconds, code] of [
      [59, '287082'],
      [1111111109, '081804'],
      [1234567890, '005924'],
      [20000000000, '353130'],
    ] as const) {
      expect(totpAt(RFC_SEED, Math.floor(seconds / 30))).toBe(code);
    }
  });

  it('should hand out codes of later and later steps, never one twice', async () => {
    const authenticator = new TestAuthenticator(RFC_SEED);
    const first = await authenticator.nextCode();
    const second = await authenticator.nextCode();
    expect(second).not.toBe(first);
    expect(authenticator.wrongCode()).toMatch(/^\d{6}$/);
  });
});
