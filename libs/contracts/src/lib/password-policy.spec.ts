import {
  checkPasswordPolicy,
  PASSWORD_MAX_BYTES,
  PASSWORD_MAX_LENGTH,
  PASSWORD_RULES,
  passwordByteLength,
  passwordLength,
} from './password-policy';

describe('checkPasswordPolicy', () => {
  it('should accept a long passphrase without composition rules', () => {
    expect(checkPasswordPolicy('correct horse battery staple')).toEqual([]);
  });

  it('should count characters, not UTF-16 units, towards the minimum', () => {
    // 15 astral characters are 30 UTF-16 units but still exactly the minimum.
    expect(checkPasswordPolicy('😀'.repeat(15))).toEqual([]);
    expect(checkPasswordPolicy('😀'.repeat(14))).toEqual([PASSWORD_RULES.TOO_SHORT]);
  });

  it('should accept 64 characters of any script and refuse a 65th', () => {
    expect(checkPasswordPolicy('a1'.repeat(32))).toEqual([]);
    // 64 Cyrillic letters are 128 UTF-8 bytes: far over bcrypt's 72, still acceptable.
    const cyrillic = 'пароль съешь же ещё этих мягких французских булок да выпей чаю!!';
    expect(passwordLength(cyrillic)).toBe(PASSWORD_MAX_LENGTH);
    expect(passwordByteLength(cyrillic)).toBe(116);
    expect(checkPasswordPolicy('ж'.repeat(64))).toEqual([]);
    expect(passwordByteLength('ж'.repeat(64))).toBe(128);
    expect(checkPasswordPolicy(cyrillic)).toEqual([]);
    expect(checkPasswordPolicy(`${cyrillic}ж`)).toEqual([PASSWORD_RULES.TOO_LONG]);
    expect(checkPasswordPolicy('a'.repeat(65))).toEqual([PASSWORD_RULES.TOO_LONG]);
  });

  it('should accept 64 four-byte characters (256 bytes) and refuse anything longer', () => {
    expect(passwordByteLength('😀'.repeat(64))).toBe(PASSWORD_MAX_BYTES);
    expect(checkPasswordPolicy('😀'.repeat(64))).toEqual([]);
    expect(checkPasswordPolicy('😀'.repeat(65))).toEqual([PASSWORD_RULES.TOO_LONG]);
  });

  it('should count the characters of the NFKC form towards the maximum', () => {
    // U+FDFA is one character that NFKC spells out as 18: four of them make 72.
    expect(passwordLength('\uFDFA'.repeat(4))).toBe(72);
    expect(checkPasswordPolicy('\uFDFA'.repeat(4))).toEqual([PASSWORD_RULES.TOO_LONG]);
  });

  it('should take the minimum the server is configured with', () => {
    expect(checkPasswordPolicy('eight ch', { minLength: 8 })).toEqual([]);
    expect(checkPasswordPolicy('seven c', { minLength: 8 })).toEqual([PASSWORD_RULES.TOO_SHORT]);
    expect(checkPasswordPolicy('a'.repeat(20), { minLength: 21 })).toEqual([
      PASSWORD_RULES.TOO_SHORT,
    ]);
  });

  it('should measure the NFKC form', () => {
    // U+FB01 (ﬁ ligature) becomes "fi": two characters after normalisation.
    expect(checkPasswordPolicy('\uFB01'.repeat(8))).toEqual([]);
    expect(checkPasswordPolicy('\uFB01'.repeat(7))).toEqual([PASSWORD_RULES.TOO_SHORT]);
  });

  it('should reject the email local part and the product name, case-insensitively', () => {
    expect(checkPasswordPolicy('xxJane.Doe-2024-long', { email: 'jane.doe@example.com' })).toEqual([
      PASSWORD_RULES.CONTAINS_EMAIL,
    ]);
    expect(
      checkPasswordPolicy('my Account Recovery pw', { productName: 'Account Recovery' }),
    ).toEqual([PASSWORD_RULES.CONTAINS_PRODUCT_NAME]);
  });

  it('should list every broken rule', () => {
    const isCommon = (p: string) => p === 'jo';
    expect(checkPasswordPolicy('JO', { email: 'jo@example.com', isCommon })).toEqual([
      PASSWORD_RULES.TOO_SHORT,
      PASSWORD_RULES.COMMON,
    ]);
  });
});
