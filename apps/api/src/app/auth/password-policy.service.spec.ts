import { PASSWORD_RULES } from '@account-recovery/contracts';

import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { Metrics } from '../metrics/metrics.service';
import { BreachedPasswords, BreachOutcome } from './breached-passwords';
import { commonPasswords } from './common-passwords';
import { PasswordHasher } from './password-hasher.service';
import { hashesWithinHistory, PasswordHistory, StoredPasswords } from './password-history';
import { PasswordPolicy } from './password-policy.service';

const SUBJECT = { email: 'jane@example.com', userId: '00000000-0000-4000-8000-000000000001' };
const GOOD = 'violet tractor sings at dawn';

/** The database the hasher reads its boot-time cost census from: no stored hashes. */
const noDatabase = { query: async () => [] } as unknown as DataSource;

function configOf(env: Record<string, string>): ConfigService<AppConfig, true> {
  // Cost 10, the lowest the configuration accepts: real bcrypt, still quick.
  return new ConfigService(loadConfig({ BCRYPT_COST: '10', ...env })) as ConfigService<
    AppConfig,
    true
  >;
}

/** The account's stored hashes, as PasswordHistory.load returns them, newest first. */
class StoredHistory {
  loads = 0;
  constructor(
    readonly depth: number,
    private readonly stored: StoredPasswords,
  ) {}
  async load(): Promise<StoredPasswords> {
    this.loads += 1;
    return this.stored;
  }
}

/** A corpus that answers `outcome` and counts the questions. */
class Corpus {
  asked = 0;
  constructor(private readonly outcome: BreachOutcome | null) {}
  async check(): Promise<BreachOutcome | null> {
    this.asked += 1;
    return this.outcome;
  }
}

function policyOf(
  env: Record<string, string> = {},
  history = new StoredHistory(1, { current: null, previous: [] }),
  corpus = new Corpus(null),
): PasswordPolicy {
  const config = configOf(env);
  const hasher = new PasswordHasher(config, noDatabase, new Metrics());
  return new PasswordPolicy(
    config,
    hasher,
    history as unknown as PasswordHistory,
    corpus as unknown as BreachedPasswords,
  );
}

describe('PasswordPolicy', () => {
  const policy = policyOf();
  const hasher = new PasswordHasher(configOf({}), noDatabase, new Metrics());

  it('should hold at least 10,000 common passwords', () => {
    expect(new Set(commonPasswords()).size).toBeGreaterThanOrEqual(10_000);
  });

  it('should refuse common passwords whatever their case or Unicode form', async () => {
    const check = (password: string) => policy.check(password, SUBJECT);
    expect(await check('qwerty123456789')).toEqual([PASSWORD_RULES.COMMON]);
    expect(await check('QWERTY123456789')).toEqual([PASSWORD_RULES.COMMON]);
    // Fullwidth digits fold to ASCII under NFKC.
    expect(await check('qwerty１２３４５６７８９')).toEqual([PASSWORD_RULES.COMMON]);
  });

  it('should list every cheap rule broken, including the product name and the address', async () => {
    expect(await policy.check('my account recovery pw', SUBJECT)).toEqual([
      PASSWORD_RULES.CONTAINS_PRODUCT_NAME,
    ]);
    expect(await policy.check('jane.doe', { ...SUBJECT, email: 'jane.doe@example.com' })).toEqual([
      PASSWORD_RULES.TOO_SHORT,
      PASSWORD_RULES.CONTAINS_EMAIL,
    ]);
  });

  it('should apply the configured minimum length and report it in the summary', async () => {
    expect(policy.summary()).toEqual({ minLength: 15, maxLength: 64 });
    expect(await policy.check('fourteen chars', SUBJECT)).toEqual([PASSWORD_RULES.TOO_SHORT]);
    expect(await policy.check('fifteen chars!!', SUBJECT)).toEqual([]);

    const twenty = policyOf({ PASSWORD_MIN_LENGTH: '20' });
    expect(twenty.summary()).toEqual({ minLength: 20, maxLength: 64 });
    expect(await twenty.check('nineteen characters', SUBJECT)).toEqual([PASSWORD_RULES.TOO_SHORT]);
    expect(await twenty.check('twenty characters ok', SUBJECT)).toEqual([]);
    expect(await policyOf({ PASSWORD_MIN_LENGTH: '8' }).check('8 chars!', SUBJECT)).toEqual([]);
  });

  it('should accept an unusual passphrase', async () => {
    expect(await policy.check(GOOD, SUBJECT)).toEqual([]);
  });

  describe('history', () => {
    let current = '';
    let previous: string[] = [];
    const passwords = [
      'first of the passphrases',
      'second of the passphrases',
      'third of the passphrases',
    ];

    beforeAll(async () => {
      current = await hasher.hash('the current passphrase');
      previous = await Promise.all(passwords.map((p) => hasher.hash(p)));
    });

    const withHistory = (depth: number) =>
      policyOf({}, new StoredHistory(depth, { current, previous }));

    it('should count the current password as one: 1 refuses only it, 0 nothing', async () => {
      expect(hashesWithinHistory({ current: 'c', previous: ['p1', 'p2'] }, 0)).toEqual([]);
      expect(hashesWithinHistory({ current: 'c', previous: ['p1', 'p2'] }, 1)).toEqual(['c']);
      expect(hashesWithinHistory({ current: 'c', previous: ['p1', 'p2'] }, 2)).toEqual(['c', 'p1']);
      expect(hashesWithinHistory({ current: null, previous: ['p1'] }, 3)).toEqual(['p1']);

      expect(await withHistory(1).check('the current passphrase', SUBJECT)).toEqual([
        PASSWORD_RULES.RECENTLY_USED,
      ]);
      expect(await withHistory(1).check(passwords[0], SUBJECT)).toEqual([]);
      expect(await withHistory(0).check('the current passphrase', SUBJECT)).toEqual([]);
    });

    it('should refuse the last three with PASSWORD_HISTORY=3 and accept the fourth', async () => {
      const three = withHistory(3);
      expect(await three.check('the current passphrase', SUBJECT)).toEqual([
        PASSWORD_RULES.RECENTLY_USED,
      ]);
      for (const recent of passwords.slice(0, 2)) {
        expect(await three.check(recent, SUBJECT)).toEqual([PASSWORD_RULES.RECENTLY_USED]);
      }
      expect(await three.check(passwords[2], SUBJECT)).toEqual([]);
      expect(await three.check(GOOD, SUBJECT)).toEqual([]);
    });

    it('should skip a hash of a pepper no longer configured instead of comparing it', async () => {
      const rotatedAway = await new PasswordHasher(
        configOf({ PASSWORD_PEPPER: 'a-pepper-that-was-rotated-away-0123456789' }),
        noDatabase,
        new Metrics(),
      ).hash(GOOD);
      const verify = jest.spyOn(PasswordHasher.prototype, 'verify');
      try {
        const skipping = policyOf({}, new StoredHistory(1, { current: rotatedAway, previous: [] }));
        expect(await skipping.check(GOOD, SUBJECT)).toEqual([]);
        expect(verify).not.toHaveBeenCalled();
      } finally {
        verify.mockRestore();
      }
    });
  });

  describe('breach corpus', () => {
    it('should refuse what the corpus knows and accept a miss or a skipped check', async () => {
      const check = (outcome: BreachOutcome | null) =>
        policyOf({}, undefined, new Corpus(outcome)).check(GOOD, SUBJECT);
      expect(await check('hit')).toEqual([PASSWORD_RULES.BREACHED]);
      expect(await check('miss')).toEqual([]);
      expect(await check('skipped')).toEqual([]);
      expect(await check(null)).toEqual([]);
    });

    it('should ask neither the corpus nor the history while a cheap rule fails', async () => {
      const corpus = new Corpus('hit');
      const history = new StoredHistory(3, { current: null, previous: [] });
      const strict = policyOf({}, history, corpus);
      expect(await strict.check('short one', SUBJECT)).toEqual([PASSWORD_RULES.TOO_SHORT]);
      expect(corpus.asked).toBe(0);
      expect(history.loads).toBe(0);
      expect(await strict.check(GOOD, SUBJECT)).toEqual([PASSWORD_RULES.BREACHED]);
      expect(corpus.asked).toBe(1);
      expect(history.loads).toBe(1);
    });

    it('should report reuse and breach together, in the contract order', async () => {
      const current = await hasher.hash(GOOD);
      const both = policyOf({}, new StoredHistory(1, { current, previous: [] }), new Corpus('hit'));
      expect(await both.check(GOOD, SUBJECT)).toEqual([
        PASSWORD_RULES.RECENTLY_USED,
        PASSWORD_RULES.BREACHED,
      ]);
    });
  });
});
