import isEmail from 'validator/lib/isEmail';

import { seededRandom } from './dto-corpus.testing';
import { isEmailAddress } from './email-address';

/** The options EmailField passed to class-validator's IsEmail before isEmailAddress. */
const VALIDATOR_OPTIONS = { allow_display_name: false, allow_ip_domain: false, require_tld: false };

function validatorSays(value: string): boolean | 'throws' {
  try {
    return isEmail(value, { ...VALIDATOR_OPTIONS });
  } catch {
    return 'throws';
  }
}

// Pieces that sit on the edges of the grammar: separators, quoting, hyphens, digits-only
// labels, fullwidth and other non-ASCII letters, astral characters, control characters,
// and long runs for the length limits.
// prettier-ignore
const PIECES = [
  'a', 'Z', '0', '9', '.', '.', '@', '@', '"', '\\', '-', '_', ' ', '+', '!', '#', '~',
  '(', ')', ',', ':', ';', '<', '>', '[', ']', '\t', '\u0001', '\u007f', '\u00a0', '\u00a1',
  'é', 'ß', 'ı', 'ſ', 'K', 'µ', '山', '\uff01', '\uff21', '\uff5e', '\uff5f', '\ufdd0',
  '\ufff0', '\ud7ff', '\uf900', '😀', '123', 'com', 'xn--p1ai', 'example', 'a'.repeat(63),
  'b'.repeat(64), 'c'.repeat(120), 'д'.repeat(40), '😀'.repeat(30),
];

function randomAddress(next: () => number): string {
  const piece = () => PIECES[Math.floor(next() * PIECES.length)];
  const part = (max: number) => Array.from({ length: Math.floor(next() * max) }, piece).join('');
  const shape = next();
  if (shape < 0.6) return `${part(4)}@${part(4)}.${part(3)}`;
  if (shape < 0.8) return `"${part(4)}"@${part(3)}`;
  return part(8);
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

  it("should agree with validator's isEmail on 200,000 random candidates, quoted local parts aside", () => {
    const next = seededRandom(20261124);
    const disagreements: string[] = [];
    let accepted = 0;
    let quotedRefused = 0;
    for (let i = 0; i < 200_000; i++) {
      const candidate = randomAddress(next);
      const said = validatorSays(candidate);
      if (said === 'throws') continue;
      const expected = said && !candidate.startsWith('"');
      if (expected) accepted++;
      if (said && !expected) quotedRefused++;
      if (isEmailAddress(candidate) !== expected) disagreements.push(JSON.stringify(candidate));
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    // The corpus must exercise both answers, or agreeing would prove little.
    // (Most of validator's yeses are quoted local parts, which are refused here.)
    expect(accepted).toBeGreaterThan(500);
    expect(quotedRefused).toBeGreaterThan(1_000);
  });
});
