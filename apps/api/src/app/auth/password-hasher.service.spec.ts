import { ConfigService } from '@nestjs/config';
// The module object itself (not a namespace copy), so a spy on it is what the service calls.
import bcrypt from 'bcrypt';
import { DataSource } from 'typeorm';

import { ApiException } from '../common/http/api-exception';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics.service';
import { PasswordHasher } from './password-hasher.service';
import { pepperedInput, pepperOf } from './password-scheme';

/** The lowest cost the configuration accepts (BCRYPT_COST 10..15): real bcrypt, still quick. */
const COST = 10;
const PEPPER = 'unit-test-pepper-0123456789abcdefghij';
const OTHER_PEPPER = 'another-unit-test-pepper-9876543210zyx';
const PEPPERED = /^\$ar-hmac1\$[0-9a-f]{8}\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

/** Stands in for the database: answers the boot-time cost census and records updates. */
class FakeDatabase {
  readonly updates: unknown[][] = [];
  constructor(private readonly storedCost: number | null = null) {}
  async query(sql: string, params: unknown[] = []): Promise<unknown[]> {
    if (sql.includes('UPDATE users')) {
      this.updates.push(params);
      return [];
    }
    return this.storedCost === null ? [] : [{ cost: this.storedCost, n: 3 }];
  }
}

function hasher(
  options: {
    cost?: number;
    pepper?: string;
    previous?: string | null;
    queueLimit?: number;
    db?: FakeDatabase;
  } = {},
): PasswordHasher {
  const auth = {
    bcryptCost: options.cost ?? COST,
    passwordPepper: options.pepper ?? PEPPER,
    passwordPepperPrevious: options.previous ?? null,
    hashQueueLimit: options.queueLimit ?? 64,
  };
  return new PasswordHasher(
    new ConfigService({ auth }) as ConfigService<AppConfig, true>,
    (options.db ?? new FakeDatabase()) as unknown as DataSource,
    new Metrics(),
  );
}

describe('PasswordHasher', () => {
  const subject = hasher();

  afterEach(() => jest.restoreAllMocks());

  it('should store a peppered bcrypt hash at the configured cost and verify the same password', async () => {
    const hash = await subject.hash('a long and unusual passphrase');
    expect(hash).toMatch(PEPPERED);
    expect(PEPPERED.exec(hash)?.[1]).toBe('10');
    await expect(subject.verify('a long and unusual passphrase', hash)).resolves.toBe(true);
    await expect(subject.verify('a long and unusual passphrasE', hash)).resolves.toBe(false);
    await expect(subject.verify('', hash)).resolves.toBe(false);
  });

  it('should give bcrypt 64 base64 characters, never raw digest bytes', () => {
    for (const password of ['x', 'ж'.repeat(64), '\u0000'.repeat(200)]) {
      const input = pepperedInput(password, pepperOf(PEPPER));
      expect(input).toMatch(/^[A-Za-z0-9+/]{64}$/);
    }
  });

  it('should salt every hash', async () => {
    const [first, second] = await Promise.all([
      subject.hash('same password!'),
      subject.hash('same password!'),
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
      await expect(subject.verify(retyped, await subject.hash(typed))).resolves.toBe(true);
      await expect(subject.verify(typed, await subject.hash(retyped))).resolves.toBe(true);
    }
  });

  it('should count every byte of a long password in any script', async () => {
    const cyrillic = 'ж'.repeat(64); // 128 UTF-8 bytes
    const hash = await subject.hash(cyrillic);
    await expect(subject.verify(cyrillic, hash)).resolves.toBe(true);
    // Same first 72 bytes (36 letters), different after: raw bcrypt would call them equal.
    await expect(subject.verify(`${'ж'.repeat(36)}${'з'.repeat(28)}`, hash)).resolves.toBe(false);
  });

  it('should verify a legacy raw-bcrypt hash, but not a longer input that starts with its password', async () => {
    const seventyTwo = 'seventy-two bytes of a long and unusual passphrase, kept exactly so: ok!';
    const legacy = await bcrypt.hash(seventyTwo, COST);
    await expect(subject.verify(seventyTwo, legacy)).resolves.toBe(true);
    await expect(subject.verify(`${seventyTwo} and more`, legacy)).resolves.toBe(false);
    await expect(subject.verify('something else entirely', legacy)).resolves.toBe(false);
  });

  it('should ask for a rehash of legacy hashes, other costs and other peppers only', async () => {
    const current = await subject.hash('a long and unusual passphrase');
    expect(subject.needsRehash(current)).toBe(false);
    expect(subject.needsRehash(await bcrypt.hash('a long and unusual passphrase', COST))).toBe(
      true,
    );
    expect(subject.needsRehash(await hasher({ cost: 11 }).hash('x'))).toBe(true);
    expect(subject.needsRehash(await hasher({ pepper: OTHER_PEPPER }).hash('x'))).toBe(true);
    expect(subject.needsRehash('not a hash')).toBe(false);
  });

  it('should verify hashes of the previous pepper after a rotation, and none of a forgotten one', async () => {
    const old = await hasher({ pepper: OTHER_PEPPER }).hash('rotated passphrase 1');
    const rotated = hasher({ pepper: PEPPER, previous: OTHER_PEPPER });
    await expect(rotated.verify('rotated passphrase 1', old)).resolves.toBe(true);
    await expect(rotated.verify('rotated passphrase 2', old)).resolves.toBe(false);
    expect(rotated.needsRehash(old)).toBe(true);
    // Once PASSWORD_PEPPER_PREVIOUS is gone, such a hash no longer matches anything.
    await expect(subject.verify('rotated passphrase 1', old)).resolves.toBe(false);
  });

  it('should store a fresh hash after a successful sign-in only when the old one is outdated', async () => {
    const db = new FakeDatabase();
    const upgrading = hasher({ cost: 11, db });
    const legacy = await bcrypt.hash('an old passphrase here', COST);
    await upgrading.rehashIfNeeded('user-1', 'an old passphrase here', legacy);
    expect(db.updates).toHaveLength(1);
    const [id, fresh, previous] = db.updates[0] as [string, string, string];
    expect([id, previous]).toEqual(['user-1', legacy]);
    expect(PEPPERED.exec(fresh)?.[1]).toBe('11');
    await expect(upgrading.verify('an old passphrase here', fresh)).resolves.toBe(true);

    await upgrading.rehashIfNeeded('user-1', 'an old passphrase here', fresh);
    expect(db.updates).toHaveLength(1);
  });
});

describe('PasswordHasher against nothing', () => {
  afterEach(() => jest.restoreAllMocks());

  it('should build the dummy hash at bootstrap, at the cost most stored hashes have', async () => {
    const hash = jest.spyOn(bcrypt, 'hash');
    const booted = hasher({ cost: 11, db: new FakeDatabase(COST) });
    await booted.onApplicationBootstrap();
    booted.onModuleDestroy();
    expect(hash).toHaveBeenCalledTimes(1);
    expect(hash.mock.calls[0][1]).toBe(COST);

    const compare = jest.spyOn(bcrypt, 'compare');
    await expect(booted.verifyAgainstNothing('any password at all')).resolves.toBe(false);
    // The first request only compares: no hash on the request path.
    expect(hash).toHaveBeenCalledTimes(1);
    expect(compare).toHaveBeenCalledTimes(1);
    const [, dummyHash] = compare.mock.calls[0] as unknown as [string, string];
    expect(dummyHash).toMatch(/^\$2[aby]\$10\$/);
  });

  it('should use the configured cost when no hash is stored yet', async () => {
    const compare = jest.spyOn(bcrypt, 'compare');
    const fresh = hasher({ cost: 11, db: new FakeDatabase(null) });
    await fresh.onApplicationBootstrap();
    fresh.onModuleDestroy();
    await expect(fresh.verifyAgainstNothing('x')).resolves.toBe(false);
    const [, dummyHash] = compare.mock.calls[0] as unknown as [string, string];
    expect(dummyHash).toMatch(/^\$2[aby]\$11\$/);
  });
});

describe('PasswordHasher under load', () => {
  const threads = process.env['UV_THREADPOOL_SIZE'];
  beforeAll(() => (process.env['UV_THREADPOOL_SIZE'] = '1'));
  afterAll(() => {
    if (threads === undefined) delete process.env['UV_THREADPOOL_SIZE'];
    else process.env['UV_THREADPOOL_SIZE'] = threads;
  });

  it('should refuse work beyond the queue at once with 503 and Retry-After, and finish the rest', async () => {
    const busy = hasher({ queueLimit: 1 });
    const hash = await busy.hash('a long and unusual passphrase');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => busy.verify('a long and unusual passphrase', hash)),
    );
    // One running (one thread), one waiting, three refused.
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value)).toEqual([
      true,
      true,
    ]);
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(refused).toHaveLength(3);
    for (const error of refused) {
      expect(error).toBeInstanceOf(ApiException);
      expect((error as ApiException).getResponse()).toEqual({
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'The service is busy. Try again shortly.',
      });
      expect((error as ApiException).retryAfterSeconds).toBe(1);
    }
    // Afterwards there is room again.
    await expect(busy.verify('a long and unusual passphrase', hash)).resolves.toBe(true);
  });
});
