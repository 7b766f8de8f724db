import { checkPasswordPolicy, PASSWORD_RULES, passwordByteLength } from './password-policy';

describe('checkPasswordPolicy', () => {
  it('should accept a long passphrase without composition rules', () => {
    expect(checkPasswordPolicy('correct horse battery staple')).toEqual([]);
  });

  it('should count characters, not UTF-16 units, towards the minimum', () => {
    // 12 astral characters are 24 UTF-16 units but still exactly the minimum.
    expect(checkPasswordPolicy('😀'.repeat(12))).toEqual([]);
    expect(checkPasswordPolicy('😀'.repeat(11))).toEqual([PASSWORD_RULES.TOO_SHORT]);
  });

  it('should reject more than 72 UTF-8 bytes and accept 64 ASCII characters', () => {
    expect(checkPasswordPolicy('a1'.repeat(32))).toEqual([]);
    expect(checkPasswordPolicy('é'.repeat(37))).toEqual([PASSWORD_RULES.TOO_LONG]);
    expect(passwordByteLength('é'.repeat(36))).toBe(72);
  });

  it('should measure the NFKC form', () => {
    // U+FB01 (ﬁ ligature) becomes "fi": two characters after normalisation.
    expect(checkPasswordPolicy('\uFB01'.repeat(6))).toEqual([]);
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
