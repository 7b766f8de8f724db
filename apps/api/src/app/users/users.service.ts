import { Locale, normaliseEmail } from '@account-recovery/contracts';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

import { ApiException } from '../common/http/api-exception';
import { validationExceptionFactory } from '../common/http/validation-exception.factory';
import { queryRows } from '../database/query-rows';
import { originOf } from '../events/event-context';
import { SecurityEvents } from '../events/security-events.service';
import { RequestMeta } from '../queue/account-email.job';
import { JobQueue } from '../queue/job-queue.service';
import { WebhookPublisher } from '../webhooks/webhook-publisher.service';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { ActingCaller, lockActionTarget } from './staff-protection';
import { findAccount, UserAccount } from './user-accounts';
import { User } from './user.entity';

const UNIQUE_VIOLATION = '23505';

/** Provisioning for other services and the CLI. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly webhooks: WebhookPublisher,
    private readonly events: SecurityEvents,
  ) {}

  /**
   * Creates the user and queues the invitation in one transaction: either both exist or
   * neither, so a crash cannot leave a user who never gets an invitation.
   */
  async create(
    email: string,
    displayName: string | null,
    meta: RequestMeta,
    locale: Locale | null = null,
  ): Promise<UserAccount> {
    // The REST route validated the body already; the CLI calls straight in. Same rules for both.
    const errors = validateSync(
      plainToInstance(CreateUserDto, { email, displayName, locale: locale ?? undefined }),
    );
    if (errors.length > 0) throw validationExceptionFactory(errors);
    return this.mapUniqueViolation(() =>
      this.dataSource.transaction(async (manager) => {
        const user = await manager.save(
          manager.create(User, { email: normaliseEmail(email), displayName, locale }),
        );
        await this.queue.enqueue({ kind: 'invitation', userId: user.id, ...meta }, manager);
        await this.events.record(
          { type: 'user.created', userId: user.id, ...originOf(meta) },
          manager,
        );
        await this.webhooks.publish(
          'user.invited',
          user.id,
          { email: user.email, displayName: user.displayName },
          manager,
        );
        return this.account(manager, user.id);
      }),
    );
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<User> {
    const user = await manager.getRepository(User).findOneBy({ id });
    if (!user) throw ApiException.notFound('users.not-found');
    return user;
  }

  /**
   * Changes the display name and/or the sign-in address. A new address revokes every
   * outstanding link (they were mailed to the old one), tells the old address and publishes
   * `user.email_changed`, all in the change's transaction.
   */
  async update(
    id: string,
    changes: UpdateUserDto,
    meta: RequestMeta,
    caller: ActingCaller,
  ): Promise<UserAccount> {
    if (
      changes.email === undefined &&
      changes.displayName === undefined &&
      changes.locale === undefined
    ) {
      throw ApiException.validation({ body: [{ key: 'field.user-changes' }] });
    }
    return this.mapUniqueViolation(() =>
      this.dataSource.transaction(async (manager) => {
        if (!(await lockActionTarget(manager, id, caller)))
          throw ApiException.notFound('users.not-found');
        const user = await manager.getRepository(User).findOneByOrFail({ id });
        const oldEmail = user.email;
        const oldName = user.displayName;
        const oldLocale = user.locale;
        if (changes.displayName !== undefined) user.displayName = changes.displayName;
        if (changes.locale !== undefined) user.locale = changes.locale;
        if (changes.email !== undefined) user.email = normaliseEmail(changes.email);
        // Nothing changed: nothing to save, and no event saying something did.
        if (user.email === oldEmail && user.displayName === oldName && user.locale === oldLocale) {
          return this.account(manager, id);
        }
        await manager.save(user);
        // Which fields changed, not their values: the trail outlives the account's data.
        await this.events.record(
          {
            type: 'user.changed',
            userId: id,
            ...originOf(meta),
            details: {
              email: user.email !== oldEmail,
              displayName: user.displayName !== oldName,
              locale: user.locale !== oldLocale,
            },
          },
          manager,
        );
        if (user.email !== oldEmail) {
          await manager.query(
            `UPDATE password_reset_tokens SET revoked_at = now()
              WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
            [id],
          );
          await this.queue.enqueue(
            { kind: 'email-changed', userId: id, oldEmail, newEmail: user.email, ...meta },
            manager,
          );
          // Last, after the user row and the tokens: the publish lock comes after row locks.
          await this.webhooks.publish(
            'user.email_changed',
            id,
            { email: user.email, previousEmail: oldEmail },
            manager,
          );
        }
        return this.account(manager, id);
      }),
    );
  }

  /** A help-desk reset: always sends (no per-address limit); may end current sessions too. */
  async forceReset(
    id: string,
    revokeSessions: boolean,
    meta: RequestMeta,
    caller: ActingCaller,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const target = await lockActionTarget(manager, id, caller, 'read');
      if (!target) throw ApiException.notFound('users.not-found');
      const user = { id, email: target.email };
      if (revokeSessions) await this.endSessions(manager, user.id, meta);
      await this.events.record(
        {
          type: 'reset.forced',
          userId: user.id,
          ...originOf(meta),
          details: { sessionsRevoked: revokeSessions },
        },
        manager,
      );
      await this.queue.enqueue({ kind: 'forced-reset', userId: user.id, ...meta }, manager);
      await this.webhooks.publish(
        'password.reset_requested_by_service',
        user.id,
        { email: user.email, sessionsRevoked: revokeSessions },
        manager,
      );
    });
  }

  /**
   * Ends every session of the user now (`POST /v1/users/{id}/sessions/revoke`), as a forced
   * reset with `revokeSessions` does, without sending a link. No webhook: none of the
   * published events is about sessions (a forced reset's says `sessionsRevoked` within it).
   */
  async revokeSessions(id: string, meta: RequestMeta, caller: ActingCaller): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (
        !(await lockActionTarget(manager, id, caller)) ||
        !(await this.endSessions(manager, id, meta))
      ) {
        throw ApiException.notFound('users.not-found');
      }
    });
  }

  /**
   * Access tokens issued before now stop working (their session version is older), and so
   * do sign-ins halfway to the second factor; `sessions.revoked` in the same transaction.
   * False when there is no such user.
   */
  private async endSessions(
    manager: EntityManager,
    userId: string,
    meta: RequestMeta,
  ): Promise<boolean> {
    const ended = await queryRows(
      manager,
      `UPDATE users SET sessions_revoked_at = now() WHERE id = $1 RETURNING id`,
      [userId],
    );
    if (ended.length === 0) return false;
    await this.events.record({ type: 'sessions.revoked', userId, ...originOf(meta) }, manager);
    return true;
  }

  /** The user as the API answers them, read in the change's transaction. */
  private async account(manager: EntityManager, id: string): Promise<UserAccount> {
    const account = await findAccount(manager, id);
    if (!account) throw new Error(`user ${id} vanished inside its own transaction`);
    return account;
  }

  /** Deletes the user; their links go with them (ON DELETE CASCADE). */
  async remove(id: string, meta: RequestMeta | undefined, caller: ActingCaller): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await lockActionTarget(manager, id, caller)))
        throw ApiException.notFound('users.not-found');
      const [deleted] = await queryRows<{ email: string }>(
        manager,
        `DELETE FROM users WHERE id = $1 RETURNING email`,
        [id],
      );
      if (!deleted) throw ApiException.notFound('users.not-found');
      await this.events.record({ type: 'user.deleted', userId: id, ...originOf(meta) }, manager);
      await this.webhooks.publish('user.deleted', id, { email: deleted.email }, manager);
    });
  }

  /** Development convenience: the demo account exists after every start. */
  async ensureExists(email: string, displayName: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO users (email, display_name) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING`,
      [normaliseEmail(email), displayName],
    );
  }

  private async mapUniqueViolation<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
      ) {
        throw ApiException.emailTaken();
      }
      throw error;
    }
  }
}
