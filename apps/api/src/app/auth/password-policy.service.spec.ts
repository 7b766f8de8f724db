import { PASSWORD_RULES } from '@account-recovery/contracts';

import { ConfigService } from '@nestjs/config';

import { loadConfig } from '../config/load-config';
import { commonPasswords } from './common-passwords';
import { PasswordPolicy } from './password-policy.service';

describe('PasswordPolicy', () => {
  const policy = new PasswordPolicy(new ConfigService(loadConfig({})));

  it('should hold at least 10,000 common passwords', () => {
    expect(new Set(commonPasswords()).size).toBeGreaterThanOrEqual(10_000);
  });

  it('should refuse common passwords whatever their case or Unicode form', () => {
    expect(policy.check('qwerty123456', 'a@example.com')).toEqual([PASSWORD_RULES.COMMON]);
    expect(policy.check('QWERTY123456', 'a@example.com')).toEqual([PASSWORD_RULES.COMMON]);
    // Fullwidth digits fold to ASCII under NFKC.
    expect(policy.check('qwerty１２３４５６', 'a@example.com')).toEqual([PASSWORD_RULES.COMMON]);
  });

  it('should list every rule broken, including the product name and the address', () => {
    expect(policy.check('account recovery', 'x@example.com')).toEqual([
      PASSWORD_RULES.CONTAINS_PRODUCT_NAME,
    ]);
    expect(policy.check('jane.doe', 'jane.doe@example.com')).toEqual([
      PASSWORD_RULES.TOO_SHORT,
      PASSWORD_RULES.CONTAINS_EMAIL,
    ]);
  });

  it('should accept an unusual passphrase', () => {
    expect(policy.check('violet tractor sings at dawn', 'jane@example.com')).toEqual([]);
  });
});
