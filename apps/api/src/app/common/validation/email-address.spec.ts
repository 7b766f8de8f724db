import { isEmail } from 'class-validator';

import { isEmailAddress } from './email-address';

/** What class-validator's isEmail says with the options isEmailAddress passes it. */
function validatorSays(value: string): boolean | 'throws' {
  try {
    return isEmail(value, {
      allow_display_name: false,
      allow_ip_domain: false,
      require_tld: false,
    });
  } catch {
    return 'throws';
  }
}

describe('isEmailAddress', () => {
  it('should accept ordinary, plus-tagged, internationalised and TLD-less addresses', () => {
    for (const ok of [
      'jane.doe@example.com',
      'JANE+tag@Example.COM',
      'josé@exämple.de',
      'admin@localhost',
      'a@b.xn--p1ai',
      `${'l'.repeat(64)}@${'d'.repeat(63)}.com`,
    ]) {
      expect([ok, isEmailAddress(ok)]).toEqual([ok, true]);
    }
  });

  it('should refuse what is not one address', () => {
    for (const bad of [
      '',
      'plain',
      '@example.com',
      'jane@',
      'jane..doe@example.com',
      '.jane@example.com',
      'jane@example..com',
      'jane@-example.com',
      'jane@example.com.',
      'jane@192.168.0.1',
      'jane@[127.0.0.1]',
      'jane@example.123',
      'jane@exam_ple.com',
      'Jane <jane@example.com>',
      'jane@ｅxample.com',
      `${'l'.repeat(65)}@example.com`,
      `jane@${'d'.repeat(64)}.com`,
      `${'l'.repeat(60)}@${'d.'.repeat(97)}com`,
      // 188 UTF-16 units, but a 266-byte domain (an emoji is 4 bytes).
      `j@${'😀'.repeat(31)}.${'😀'.repeat(9)}.${'a'.repeat(63)}.${'a'.repeat(40)}`,
    ]) {
      expect([bad, isEmailAddress(bad)]).toEqual([bad, false]);
    }
  });

  it('should refuse quoted local parts, which validator accepts and SMTP relays refuse', () => {
    for (const quoted of [
      '"a@evil x"@corp.example',
      '"jane doe"@example.com',
      '"jane"@example.com',
      '""@example.com',
      '"a\\"b"@example.com',
      '"x"."y"@example.com',
      'jane."doe"@example.com',
    ]) {
      expect([quoted, isEmailAddress(quoted)]).toEqual([quoted, false]);
    }
    expect(validatorSays('"a@evil x"@corp.example')).toBe(true);
  });

  it('should refuse non-strings', () => {
    for (const value of [undefined, null, 1, {}, ['a@b.c'], true]) {
      expect(isEmailAddress(value)).toBe(false);
    }
  });

  it('should refuse a lone surrogate, on which validator throws', () => {
    for (const bad of ['\ud800jane@example.com', 'jane@exa\udc00mple.com']) {
      expect(validatorSays(bad)).toBe('throws');
      expect(isEmailAddress(bad)).toBe(false);
    }
  });
});
