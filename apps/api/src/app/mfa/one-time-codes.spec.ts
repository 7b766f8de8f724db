import fc from 'fast-check';

import {
  generateRecoveryCode,
  generateResetCode,
  normaliseRecoveryCode,
  normaliseResetCode,
  normaliseTotpCode,
  RECOVERY_CODE_ALPHABET,
} from './one-time-codes';

describe('one-time codes', () => {
  it('should draw recovery codes from an alphabet without look-alikes', () => {
    for (const lookAlike of '01ILOU') expect(RECOVERY_CODE_ALPHABET).not.toContain(lookAlike);
    const codes = Array.from({ length: 2000 }, generateRecoveryCode);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}$/);
    expect(new Set(codes).size).toBe(codes.length);
    // Every character of the alphabet shows up: no bias toward a part of it.
    expect(new Set(codes.join('').replace(/-/g, '')).size).toBe(RECOVERY_CODE_ALPHABET.length);
  });

  it('should read a recovery code typed in any case, with or without the dash or spaces', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Array.from({ length: 50 }, generateRecoveryCode)), (code) => {
        const canonical = code.replace('-', '');
        expect(normaliseRecoveryCode(code)).toBe(canonical);
        expect(normaliseRecoveryCode(code.toLowerCase())).toBe(canonical);
        expect(normaliseRecoveryCode(` ${code.replace('-', ' ')} `)).toBe(canonical);
      }),
    );
    for (const junk of ['', 'ABCDE', 'ABCDE-FGHJ0', 'ABCDE-FGHJKL', '２３４５６-７８９ＡＢ'])
      expect(normaliseRecoveryCode(junk)).toBeNull();
  });

  it('should make 8-digit reset codes, leading zeros kept', () => {
    const codes = Array.from({ length: 5000 }, generateResetCode);
    for (const code of codes) expect(code).toMatch(/^\d{8}$/);
    expect(codes.some((code) => code.startsWith('0'))).toBe(true);
  });

  it('should accept only what could be a code, whatever else is typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (typed) => {
        const totp = normaliseTotpCode(typed);
        if (totp !== null) expect(totp).toMatch(/^\d{6}$/);
        const reset = normaliseResetCode(typed);
        if (reset !== null) expect(reset).toMatch(/^\d{8}$/);
        const recovery = normaliseRecoveryCode(typed);
        if (recovery !== null) expect(recovery).toMatch(/^[2-9A-HJKMNP-TV-Z]{10}$/);
      }),
    );
    expect(normaliseTotpCode('123 456')).toBe('123456');
    expect(normaliseResetCode('1234-5678')).toBe('12345678');
    expect(normaliseTotpCode('١٢٣٤٥٦')).toBeNull();
  });
});
