import { EnvKeyMatcher, generateServiceKey, hashServiceKey } from './service-keys';

describe('service keys', () => {
  it('should generate distinct, prefixed keys with 256 bits of randomness', () => {
    const keys = new Set(Array.from({ length: 100 }, generateServiceKey));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^arsk_[A-Za-z0-9_-]{43}$/);
  });

  it('should store a hex SHA-256, never the key', () => {
    const key = generateServiceKey();
    expect(hashServiceKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashServiceKey(key)).not.toContain(key.slice(5, 15));
  });

  describe('EnvKeyMatcher', () => {
    const matcher = new EnvKeyMatcher([
      'first-service-key-6d1f0a93c2',
      'second-service-key-b47e8815',
    ]);

    it('should accept every configured key', () => {
      expect(matcher.matches('first-service-key-6d1f0a93c2')).toBe(true);
      expect(matcher.matches('second-service-key-b47e8815')).toBe(true);
    });

    it('should refuse prefixes, suffixes, case changes and the empty string', () => {
      for (const wrong of [
        'first-service-key',
        'first-service-key-6d1f0a93c2x',
        'FIRST-SERVICE-KEY-6D1F0A93C2',
        '',
      ]) {
        expect(matcher.matches(wrong)).toBe(false);
      }
    });

    it('should refuse everything when no key is configured', () => {
      expect(new EnvKeyMatcher([]).matches('anything-at-all-0123')).toBe(false);
    });
  });
});
