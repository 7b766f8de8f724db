import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, EntityManager } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { queryRows } from '../database/query-rows';

/** What a new password is compared with: the current hash and the earlier ones, newest first. */
export interface StoredPasswords {
  current: string | null;
  previous: string[];
}

/**
 * The hashes a new password must differ from under PASSWORD_HISTORY = `depth`: the current
 * one counts as one, so 1 is the current password only, 3 adds the two before it, and 0
 * checks nothing. Rows beyond that (left by a larger setting) are ignored, not trusted.
 */
export function hashesWithinHistory(stored: StoredPasswords, depth: number): string[] {
  if (depth <= 0) return [];
  const current = stored.current === null ? [] : [stored.current];
  return [...current, ...stored.previous.slice(0, depth - 1)];
}

/**
 * The password_history table (docs/architecture.md, "Sign-in and passwords"): read before a
 * reset hashes, written in the reset's transaction under the user row lock.
 */
@Injectable()
export class PasswordHistory {
  /** PASSWORD_HISTORY. */
  readonly depth: number;

  constructor(
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
    private readonly dataSource: DataSource,
  ) {
    this.depth = config.get('passwordRules', { infer: true }).history;
  }

  /** The account's current hash and as many earlier ones as the setting can ask for. */
  async load(userId: string): Promise<StoredPasswords> {
    if (this.depth <= 0) return { current: null, previous: [] };
    const [user] = await queryRows<{ password_hash: string | null }>(
      this.dataSource,
      `SELECT password_hash FROM users WHERE id = $1`,
      [userId],
    );
    const previous =
      this.depth > 1
        ? await queryRows<{ password_hash: string }>(
            this.dataSource,
            `SELECT password_hash FROM password_history WHERE user_id = $1
              ORDER BY created_at DESC, id LIMIT $2`,
            [userId, this.depth - 1],
          )
        : [];
    return {
      current: user?.password_hash ?? null,
      previous: previous.map((row) => row.password_hash),
    };
  }

  /**
   * Call inside the password change's transaction, holding the user row lock, just before
   * users.password_hash is overwritten: the hash being replaced becomes history, and only
   * the newest PASSWORD_HISTORY − 1 earlier hashes stay (the new current one is the first of
   * PASSWORD_HISTORY). The lock serialises changes of one account, so pruning cannot race.
   */
  async recordReplaced(manager: EntityManager, userId: string): Promise<void> {
    const keep = Math.max(this.depth - 1, 0);
    if (keep > 0) {
      await queryRows(
        manager,
        `INSERT INTO password_history (user_id, password_hash)
         SELECT id, password_hash FROM users WHERE id = $1 AND password_hash IS NOT NULL`,
        [userId],
      );
    }
    // Also with keep = 0: a lowered setting drops what it no longer needs at the next change.
    await queryRows(
      manager,
      `DELETE FROM password_history WHERE user_id = $1 AND id NOT IN (
         SELECT id FROM password_history WHERE user_id = $1
          ORDER BY created_at DESC, id LIMIT $2)`,
      [userId, keep],
    );
  }
}
