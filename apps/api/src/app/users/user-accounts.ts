import { StaffRole } from '@account-recovery/contracts';

import { DataSource, EntityManager } from 'typeorm';

import { queryRows } from '../database/query-rows';

/**
 * A user as the service API answers them: the row, whether a second factor is confirmed, and
 * the counters both throttles read (docs/architecture.md §11). Never a hash or a secret.
 */
export interface UserAccount {
  id: string;
  email: string;
  displayName: string | null;
  /** As stored; UserResponseDto answers only a shipped locale (docs/architecture.md §12). */
  locale: string | null;
  roles: StaffRole[];
  passwordChangedAt: Date | null;
  sessionsRevokedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  signInFailures: number;
  signInLastFailedAt: Date | null;
  hasSecondFactor: boolean;
  /** The confirmed factor's counters (0 and null without one). */
  factorFailures: number;
  factorLastFailedAt: Date | null;
  /** The database's clock when the row was read: the one the throttles compare against. */
  readAt: Date;
}

/**
 * One row per user, in one statement however many users: at most one confirmed factor per
 * user (uq_mfa_factors_confirmed_user), so the join adds no rows. The factor whose counters
 * the second-factor throttle admits checks of is the confirmed one.
 */
const SELECT_ACCOUNTS = `
SELECT u.id, u.email, u.display_name AS "displayName", u.locale, u.roles,
       u.password_changed_at AS "passwordChangedAt", u.sessions_revoked_at AS "sessionsRevokedAt",
       u.created_at AS "createdAt", u.updated_at AS "updatedAt",
       u.failed_login_count AS "signInFailures", u.last_failed_login_at AS "signInLastFailedAt",
       f.id IS NOT NULL AS "hasSecondFactor",
       COALESCE(f.failed_attempts, 0) AS "factorFailures", f.last_failed_at AS "factorLastFailedAt",
       now() AS "readAt"
  FROM users u
  LEFT JOIN mfa_factors f ON f.user_id = u.id AND f.confirmed_at IS NOT NULL`;

type Target = DataSource | EntityManager;

/** The user with this id, or null. */
export async function findAccount(target: Target, id: string): Promise<UserAccount | null> {
  const [row] = await queryRows<UserAccount>(target, `${SELECT_ACCOUNTS} WHERE u.id = $1`, [id]);
  return row ?? null;
}

/** The user with this normalised address: zero or one. */
export function findAccountsByEmail(target: Target, email: string): Promise<UserAccount[]> {
  return queryRows<UserAccount>(target, `${SELECT_ACCOUNTS} WHERE u.email = $1`, [email]);
}

/** Where a page of a search starts: after this (email, id). */
export interface AccountsAfter {
  email: string;
  id: string;
}

/**
 * Users whose address starts with `emailPrefix` or whose name, lower-cased by PostgreSQL,
 * starts with `namePrefix`: both LIKE patterns already escaped (`likePrefix`). Ordered by
 * (email, id), after `after`, `limit` rows. The indexes of AddUserSearchIndexes serve both
 * prefixes whatever the database's collation.
 */
export function searchAccounts(
  target: Target,
  emailPrefix: string,
  namePrefix: string,
  after: AccountsAfter | null,
  limit: number,
): Promise<UserAccount[]> {
  const params: unknown[] = [emailPrefix, namePrefix, limit];
  const keyset = after
    ? `AND (u.email, u.id) > ($${params.push(after.email)}::text, $${params.push(after.id)}::uuid)`
    : '';
  return queryRows<UserAccount>(
    target,
    `${SELECT_ACCOUNTS}
      WHERE (u.email LIKE $1 ESCAPE '\\' OR lower(u.display_name) LIKE lower($2) ESCAPE '\\')
        ${keyset}
      ORDER BY u.email, u.id
      LIMIT $3`,
    params,
  );
}

/** A LIKE pattern matching values that start with `text`, taken literally (`%`, `_`, `\`). */
export function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
