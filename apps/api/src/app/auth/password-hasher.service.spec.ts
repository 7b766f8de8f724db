import { ConfigService } from '@nestjs/config';
// The module object itself (not a namespace copy), so a spy on it is what the service calls.
import bcrypt from 'bcrypt';

import { AppConfig } from '../config/app-config';
import { PasswordHasher } from './password-hasher.service';

/** The lowest cost the configuration accepts (BCRYPT_COST 10..15): real bcrypt, still quick. */
const COST = 10;

function hasherAtCost(cost: number): PasswordHasher {
  return new PasswordHasher(
    new ConfigService({ auth: { bcryptCost: cost } }) as ConfigService<AppConfig, true>,
  );
}

describe('PasswordHasher', () => {
  const hasher = hasherAtCost(COST);

  afterEach(() => jest.restoreAllMocks());

  it('should hash with real bcrypt at the configured cost and verify the same password', async () => {
    const hash = await hasher.hash('a long and unusual passphrase');
    expect(hash).toMatch(/^\$2[aby]\$10\$[./A-Za-z0-9]{53}$/);
    await expect(hasher.verify('a long and unusual passphrase', hash)).resolves.toBe(true);
    await expect(hasher.verify('a long and unusual passphrasE', hash)).resolves.toBe(false);
    await expect(hasher.verify('', hash)).resolves.toBe(false);
  });

  it('should salt every hash', async () => {
    const [first, second] = await Promise.all([
      hasher.hash('same password!'),
      hasher.hash('same password!'),
    ]);
    expect(first).not.toBe(second);
  });

  it('should verify passwords that are equal after NFKC normalisation', async () => {
    // Precomposed é vs e + combining acute; full-width letters and digits vs ASCII; the "ﬁ" ligature.
    const pairs: [string, string][] = [
      ['caf\u00e9 au lait, no sugar', 'cafe\u0301 au lait, no sugar'],
      ['ｐａｓｓｐｈｒａｓｅ １２３４', 'passphrase 1234'],
      ['\ufb01ve boxing wizards', 'five boxing wizards'],
    ];
    for (const [typed, retyped] of pairs) {
      expect(typed).not.toBe(retyped);
      const hash = await hasher.hash(typed);
      await expect(hasher.verify(retyped, hash)).resolves.toBe(true);
      const reverse = await hasher.hash(retyped);
      await expect(hasher.verify(typed, reverse)).resolves.toBe(true);
    }
  });

  it('should resolve false against nothing, after a real comparison', async () => {
    const compare = jest.spyOn(bcrypt, 'compare');
    await expect(hasher.verifyAgainstNothing('any password at all')).resolves.toBe(false);
    await expect(hasher.verifyAgainstNothing('timing-equaliser-not-a-password')).resolves.toBe(
      false,
    );
    expect(compare).toHaveBeenCalledTimes(2);
    const [, dummyHash] = compare.mock.calls[0] as unknown as [string, string];
    expect(dummyHash).toMatch(/^\$2[aby]\$10\$/);
  });
});
