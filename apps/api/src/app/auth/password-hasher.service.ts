import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';

import { normalisePassword, passwordByteLength } from '@account-recovery/contracts';

import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import * as bcrypt from 'bcrypt';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';

import { ApiException } from '../common/http/api-exception';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics.service';
import { HashingQueue, HashingQueueFull } from './hashing-queue';
import {
  BCRYPT_MAX_INPUT_BYTES,
  encodePeppered,
  parseStoredHash,
  Pepper,
  pepperedInput,
  pepperOf,
} from './password-scheme';

/** The most common bcrypt cost among stored hashes (either scheme); none when there are none. */
const MOST_COMMON_STORED_COST = `
  SELECT cost, count(*)::int AS n
    FROM (SELECT substring(password_hash from '[$]2[aby][$]([0-9]{2})[$]')::int AS cost
            FROM users WHERE password_hash IS NOT NULL) AS hashes
   WHERE cost IS NOT NULL
   GROUP BY cost
   ORDER BY n DESC, cost DESC
   LIMIT 1`;

/** Costs shift as hashes are upgraded at sign-in: the dummy follows without a restart. */
const DUMMY_REFRESH_MS = 60 * 60_000;

/**
 * A refusal, not a queue: see HashingQueue. 503 rather than 429 because the server as a whole
 * is out of hashing capacity, whoever asks; a client over its own budget already gets 429 from
 * RateLimitGuard, and the portal words 429 as "too many attempts", which would blame the
 * person. 503 with Retry-After is what clients and load balancers retry (elsewhere) shortly.
 */
const RETRY_AFTER_SECONDS = 1;

/**
 * Password hashing (scheme in password-scheme.ts): bcrypt on the libuv thread pool (the
 * async API: the sync one would block the event loop for the whole hash), every hash and
 * comparison through one bounded queue, old hashes upgraded at the next successful sign-in.
 */
@Injectable()
export class PasswordHasher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PasswordHasher.name);
  private readonly cost: number;
  private readonly pepper: Pepper;
  /** Current and previous pepper by id: hashes made before a rotation still verify. */
  private readonly peppers = new Map<string, Pepper>();
  private readonly queue: HashingQueue;
  private readonly operations: Counter<'operation' | 'cost'>;
  private readonly shed: Counter;
  private dummy: Promise<string> | null = null;
  private refresh: NodeJS.Timeout | null = null;

  constructor(
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
    private readonly dataSource: DataSource,
    metrics: Metrics,
  ) {
    const auth = config.get('auth', { infer: true });
    this.cost = auth.bcryptCost;
    this.pepper = pepperOf(auth.passwordPepper);
    if (auth.passwordPepperPrevious !== null) {
      const previous = pepperOf(auth.passwordPepperPrevious);
      this.peppers.set(previous.id, previous);
    }
    this.peppers.set(this.pepper.id, this.pepper);
    const threads = Number(process.env['UV_THREADPOOL_SIZE']) || availableParallelism();
    this.queue = new HashingQueue(threads, auth.hashQueueLimit);

    const registers = [metrics.registry];
    this.operations = new Counter({
      name: 'account_recovery_password_hashing_total',
      help: 'bcrypt work by operation (hash, compare) and cost; dummy comparisons included',
      labelNames: ['operation', 'cost'] as const,
      registers,
    });
    this.shed = new Counter({
      name: 'account_recovery_password_hashing_shed_total',
      help: 'Hashes and comparisons refused (503) because the hashing queue was full',
      registers,
    });
    const queue = this.queue;
    new Gauge({
      name: 'account_recovery_password_hashing_queue',
      help: 'Hashes and comparisons of this replica: running, and waiting for a thread',
      labelNames: ['state'] as const,
      registers,
      collect() {
        this.set({ state: 'running' }, queue.running);
        this.set({ state: 'waiting' }, queue.waiting);
      },
    });
  }

  /** The dummy hash exists before the first request: this hook runs before `listen`. */
  async onApplicationBootstrap(): Promise<void> {
    this.dummy = this.buildDummy();
    await this.dummy;
    this.refresh = setInterval(
      () => void this.refreshDummy().catch(() => undefined),
      DUMMY_REFRESH_MS,
    );
    this.refresh.unref();
  }

  onModuleDestroy(): void {
    if (this.refresh) clearInterval(this.refresh);
  }

  /** A new hash: always the peppered scheme, current pepper, configured cost. */
  async hash(password: string): Promise<string> {
    const input = pepperedInput(password, this.pepper);
    const hashed = await this.work('hash', this.cost, () => bcrypt.hash(input, this.cost));
    return encodePeppered(this.pepper, hashed);
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parseStoredHash(stored);
    const pepper = parsed?.scheme === 'peppered' ? this.peppers.get(parsed.pepperId) : undefined;
    if (parsed === null || (parsed.scheme === 'peppered' && pepper === undefined)) {
      // A pepper that is no longer configured (or a mangled row): such a hash can never
      // match. Spend the usual comparison so the account does not stand out.
      this.logger.warn(
        'A stored password hash has an unknown format or pepper; was PASSWORD_PEPPER_PREVIOUS removed too early?',
      );
      return this.verifyAgainstNothing(password);
    }
    if (parsed.scheme === 'legacy') {
      const input = normalisePassword(password);
      const same = await this.compare(input, parsed.bcrypt, parsed.cost);
      // bcrypt read only the first 72 bytes of a legacy password (all the old policy
      // allowed); a longer input that starts with it is another password.
      return same && passwordByteLength(password) <= BCRYPT_MAX_INPUT_BYTES;
    }
    return this.compare(pepperedInput(password, pepper as Pepper), parsed.bcrypt, parsed.cost);
  }

  /**
   * Whether `verify` can match this hash at all: a known scheme, and a pepper still
   * configured. The history check skips the rest instead of spending a dummy comparison
   * and a warning on each (hashes made before a finished pepper rotation).
   */
  canVerify(stored: string): boolean {
    const parsed = parseStoredHash(stored);
    return parsed !== null && (parsed.scheme === 'legacy' || this.peppers.has(parsed.pepperId));
  }

  /**
   * Spends the same work as a real comparison when there is no hash to compare with
   * (unknown address, no password yet): a comparison at the cost most stored hashes have.
   */
  async verifyAgainstNothing(password: string): Promise<false> {
    // Built at bootstrap; only a caller outside the Nest lifecycle (a test) builds it here.
    this.dummy ??= this.buildDummy();
    const dummy = await this.dummy;
    const cost = parseStoredHash(dummy)?.cost ?? this.cost;
    await this.compare(pepperedInput(password, this.pepper), dummy, cost);
    return false;
  }

  /** True for a legacy hash, another pepper than the current one, or another cost. */
  needsRehash(stored: string): boolean {
    const parsed = parseStoredHash(stored);
    if (parsed === null) return false;
    return (
      parsed.scheme === 'legacy' || parsed.pepperId !== this.pepper.id || parsed.cost !== this.cost
    );
  }

  /**
   * After a successful sign-in: replaces an outdated hash with one in the current scheme,
   * pepper and cost. Only if the row still holds the hash that was checked (a reset in the
   * meantime wins). A refusal or a failure here never fails the sign-in: the next one retries.
   */
  async rehashIfNeeded(userId: string, password: string, stored: string): Promise<void> {
    if (!this.needsRehash(stored)) return;
    try {
      const fresh = await this.hash(password);
      await this.dataSource.query(
        `UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3`,
        [userId, fresh, stored],
      );
    } catch (error) {
      const reason = error instanceof ApiException ? 'the hashing queue is full' : 'an error';
      this.logger.warn(`Password hash upgrade skipped (${reason}); the next sign-in retries`);
    }
  }

  private compare(input: string, bcryptHash: string, cost: number): Promise<boolean> {
    return this.work('compare', cost, () => bcrypt.compare(input, bcryptHash));
  }

  private async work<T>(operation: 'hash' | 'compare', cost: number, job: () => Promise<T>) {
    try {
      const result = await this.queue.run(job);
      this.operations.inc({ operation, cost: String(cost) });
      return result;
    } catch (error) {
      if (!(error instanceof HashingQueueFull)) throw error;
      this.shed.inc();
      throw ApiException.serviceBusy(RETRY_AFTER_SECONDS);
    }
  }

  /** A bcrypt hash of a random value at the cost most stored hashes have. */
  private async buildDummy(storedCost?: number): Promise<string> {
    const cost = storedCost ?? (await this.mostCommonStoredCost()) ?? this.cost;
    const secret = randomBytes(48).toString('base64');
    // Outside the queue: at boot nothing else waits, and later it is one hash an hour.
    const dummy = await bcrypt.hash(secret, cost);
    this.operations.inc({ operation: 'hash', cost: String(cost) });
    this.logger.log(
      `Unknown addresses are compared at cost ${cost} (most stored hashes); new hashes at cost ${this.cost}, pepper ${this.pepper.id}`,
    );
    return dummy;
  }

  private async refreshDummy(): Promise<void> {
    const current = await this.dummy;
    const cost = await this.mostCommonStoredCost();
    if (cost === null || current === null || parseStoredHash(current)?.cost === cost) return;
    // Swapped in only once built: requests meanwhile keep comparing against the old one.
    const next = await this.buildDummy(cost);
    this.dummy = Promise.resolve(next);
  }

  private async mostCommonStoredCost(): Promise<number | null> {
    try {
      const rows: { cost: number }[] = await this.dataSource.query(MOST_COMMON_STORED_COST);
      return rows[0]?.cost ?? null;
    } catch {
      // No table yet (migrations still to run) or no database: new hashes' cost, then.
      this.logger.warn('Could not read the costs of stored password hashes; using BCRYPT_COST');
      return null;
    }
  }
}
