import { normaliseEmail } from '@account-recovery/contracts';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';

import { ApiException } from '../common/http/api-exception';
import { RequestMeta } from '../queue/account-email.job';
import { JobQueue } from '../queue/job-queue.service';
import { User } from './user.entity';

const UNIQUE_VIOLATION = '23505';

/** Provisioning for other services and the CLI. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
  ) {}

  /**
   * Creates the user and queues the invitation in one transaction: either both exist or
   * neither, so a crash cannot leave a user who never gets an invitation.
   */
  async create(email: string, displayName: string | null, meta: RequestMeta): Promise<User> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const user = await manager.save(
          manager.create(User, { email: normaliseEmail(email), displayName }),
        );
        await this.queue.enqueue({ kind: 'invitation', userId: user.id, ...meta }, manager);
        return user;
      });
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

  async get(id: string): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user) throw ApiException.notFound('No user with this id.');
    return user;
  }

  /** A help-desk reset: always sends (no per-address limit), through the same queue. */
  async forceReset(id: string, meta: RequestMeta): Promise<void> {
    const user = await this.get(id);
    await this.queue.enqueue({ kind: 'forced-reset', userId: user.id, ...meta });
  }

  /** Development convenience: the demo account exists after every start. */
  async ensureExists(email: string, displayName: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO users (email, display_name) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING`,
      [normaliseEmail(email), displayName],
    );
  }
}
