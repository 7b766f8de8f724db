import {
  isLocale,
  LoginResponse,
  MeResponse,
  normaliseEmail,
  PASSWORD_MAX_BYTES,
  passwordByteLength,
  SessionTokens,
  UpdateMeRequest,
} from '@account-recovery/contracts';

import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';

import { ApiException } from '../common/http/api-exception';
import { queryRows } from '../database/query-rows';
import { EventOrigin, originOf } from '../events/event-context';
import { SecurityEvent } from '../events/security-event-types';
import { SecurityEvents } from '../events/security-events.service';
import { MfaChallenges } from '../mfa/mfa-challenges';
import { methodsOf, SecondFactors } from '../mfa/second-factor.service';
import { RequestMeta } from '../queue/account-email.job';
import { User } from '../users/user.entity';
import {
  AccessTokenClaims,
  AccessTokens,
  AuthMethod,
  sessionVersion,
} from './access-token.service';
import {
  ADMIT_LOGIN_ATTEMPT_SQL,
  admitLoginAttemptParams,
  FREE_FAILURES,
  MAX_CONSECUTIVE_FAILURES,
} from './login-throttle';
import { PasswordHasher } from './password-hasher.service';

interface AdmittedAttempt {
  id: string;
  password_hash: string | null;
  password_changed_at: Date | null;
  sessions_revoked_at: Date | null;
  failed_login_count: number;
  has_factor: boolean;
}

/** The user behind a valid bearer token, and when that token was issued. */
export interface Authenticated {
  user: User;
  claims: AccessTokenClaims;
}

/** Sign-in and "who am I". */
@Injectable()
export class SessionService {
  private readonly logger = new Logger(SessionService.name);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokens,
    private readonly dataSource: DataSource,
    private readonly factors: SecondFactors,
    private readonly challenges: MfaChallenges,
    private readonly events: SecurityEvents,
  ) {}

  /**
   * One answer for unknown address, no password yet, wrong password and a throttled
   * account, and one bcrypt comparison in each case, so neither the body nor the timing
   * tells them apart. The throttle admits the attempt and counts it in one statement
   * (`ADMIT_LOGIN_ATTEMPT_SQL`); the password is compared only when it was admitted, so
   * parallel guesses get no more comparisons than sequential ones.
   */
  async login(email: string, password: string, meta?: RequestMeta): Promise<LoginResponse> {
    // bcrypt reads 72 bytes: a longer input would match a stored 72-byte password by prefix.
    if (passwordByteLength(password) > PASSWORD_MAX_BYTES) return this.refuse(password, meta);
    const [admitted] = await queryRows<AdmittedAttempt>(
      this.dataSource,
      ADMIT_LOGIN_ATTEMPT_SQL,
      admitLoginAttemptParams(normaliseEmail(email)),
    );
    if (!admitted?.password_hash) return this.refuse(password, meta);
    const user = {
      id: admitted.id,
      passwordHash: admitted.password_hash,
      passwordChangedAt: admitted.password_changed_at,
      sessionsRevokedAt: admitted.sessions_revoked_at,
    };
    if (!(await this.verifyAdmitted(user.id, password, user.passwordHash))) {
      this.recordFailure(user.id, admitted.failed_login_count, originOf(meta));
      throw ApiException.invalidCredentials();
    }
    await this.hasher.rehashIfNeeded(user.id, password, user.passwordHash);
    if (admitted.has_factor) {
      // The attempt stays counted against the account until the factor is shown too.
      return {
        mfaRequired: true,
        challengeToken: await this.challenges.create(user.id),
        methods: methodsOf(await this.factors.status(user.id)),
      };
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE users SET failed_login_count = 0, last_failed_login_at = NULL WHERE id = $1`,
        [user.id],
      );
      await this.events.record(
        {
          type: 'signin.succeeded',
          userId: user.id,
          ...originOf(meta),
          details: { secondFactor: null },
        },
        manager,
      );
    });
    return this.session(user, ['pwd']);
  }

  /** The second step: a code for the challenge a correct password got. */
  async loginWithCode(
    challengeToken: string,
    code: string,
    meta?: RequestMeta,
  ): Promise<SessionTokens> {
    return this.session(await this.challenges.answer(challengeToken, code, originOf(meta)), [
      'pwd',
      'mfa',
    ]);
  }

  /**
   * A wrong password for an account: `signin.failed`, and `account.throttled` or
   * `account.locked` when this failure crossed the line. The failure was counted (and
   * committed) by the admitting statement already, so no transaction is left to join; the
   * write is not awaited either, so a wrong password answers in the time an unknown address
   * does, which writes nothing (docs/architecture.md §10).
   */
  private recordFailure(userId: string | null, failures: number | null, origin: EventOrigin): void {
    const events: SecurityEvent[] = [
      { type: 'signin.failed', userId, ...origin, details: { failures } },
    ];
    if (failures === FREE_FAILURES)
      events.push({ type: 'account.throttled', userId, ...origin, details: { failures } });
    if (failures === MAX_CONSECUTIVE_FAILURES)
      events.push({ type: 'account.locked', userId, ...origin, details: { failures } });
    this.events
      .recordMany(events)
      .catch((error: Error) => this.logger.warn(`sign-in event not recorded: ${error.message}`));
  }

  private async session(
    user: { id: string; passwordChangedAt: Date | null; sessionsRevokedAt: Date | null },
    amr: AuthMethod[],
  ): Promise<SessionTokens> {
    return {
      accessToken: await this.tokens.sign(user.id, sessionVersion(user), amr),
      tokenType: 'Bearer',
      expiresIn: this.tokens.ttlSeconds,
    };
  }

  /** The user behind a bearer token, refusing tokens issued before the last password change. */
  async me(bearer: string | null): Promise<MeResponse> {
    const { user } = await this.authenticate(bearer);
    return this.meOf(user);
  }

  /**
   * The person changes their own name or language (the account page): what the service API's
   * PATCH changes for a service, without the address, in one transaction with its event.
   */
  async updateMe(
    bearer: string | null,
    changes: UpdateMeRequest,
    meta: RequestMeta,
  ): Promise<MeResponse> {
    const { user } = await this.authenticate(bearer);
    if (changes.displayName === undefined && changes.locale === undefined) {
      throw ApiException.validation({ body: [{ key: 'field.profile-changes' }] });
    }
    const updated = await this.dataSource.transaction(async (manager) => {
      const row = await manager
        .getRepository(User)
        .findOne({ where: { id: user.id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw ApiException.unauthorized();
      const before = { displayName: row.displayName, locale: row.locale };
      if (changes.displayName !== undefined) row.displayName = changes.displayName;
      if (changes.locale !== undefined) row.locale = changes.locale;
      await manager.save(row);
      // Which fields changed, not their values (docs/architecture.md §10).
      await this.events.record(
        {
          type: 'user.changed',
          userId: row.id,
          ...originOf(meta),
          details: {
            displayName: row.displayName !== before.displayName,
            locale: row.locale !== before.locale,
          },
        },
        manager,
      );
      return row;
    });
    return this.meOf(updated);
  }

  private async meOf(user: User): Promise<MeResponse> {
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      locale: isLocale(user.locale) ? user.locale : null,
      roles: user.roles,
      mfa: await this.factors.status(user.id),
    };
  }

  /** The user of a valid bearer token issued after their last reset or revocation; else 401. */
  async authenticate(bearer: string | null): Promise<Authenticated> {
    const claims = bearer ? await this.tokens.verify(bearer) : null;
    if (!claims) throw ApiException.unauthorized();
    const user = await this.users.findOneBy({ id: claims.sub });
    if (!user || sessionVersion(user) > claims.sv) throw ApiException.unauthorized();
    return { user, claims };
  }

  /**
   * The comparison of an admitted attempt. When the hashing queue is full (503) no password
   * was checked: the failure the admission counted is taken back, so a flood of other
   * people's sign-ins cannot push this account toward its throttle or its lock.
   */
  private async verifyAdmitted(userId: string, password: string, hash: string): Promise<boolean> {
    try {
      return await this.hasher.verify(password, hash);
    } catch (error) {
      if (error instanceof ApiException && error.getStatus() === 503) {
        await this.dataSource.query(
          `UPDATE users SET failed_login_count = failed_login_count - 1
            WHERE id = $1 AND failed_login_count > 0`,
          [userId],
        );
      }
      throw error;
    }
  }

  /** Not admitted: the time of one comparison, then the same 401 as a wrong password. */
  private async refuse(password: string, meta?: RequestMeta): Promise<never> {
    await this.hasher.verifyAgainstNothing(password);
    // Counted like a known account's failure, without a user: the same write follows every
    // refused sign-in, so the work after the answer does not tell accounts apart either.
    this.recordFailure(null, null, originOf(meta));
    throw ApiException.invalidCredentials();
  }
}
