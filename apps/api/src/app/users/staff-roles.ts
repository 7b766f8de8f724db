import { normaliseEmail, STAFF_ROLES, StaffRole } from '@account-recovery/contracts';

import { DataSource } from 'typeorm';

import { queryRows } from '../database/query-rows';

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}

export interface StaffRoleChange {
  id: string;
  email: string;
  /** The roles after the change. */
  roles: StaffRole[];
  /** A confirmed second factor: without one the password alone guards the staff account. */
  hasFactor: boolean;
}

/**
 * Grants or revokes a staff role (the operator CLI's `user:grant`; there is no HTTP route,
 * so no session, however privileged, can make anyone staff). One statement: the address is
 * normalised as everywhere else, a role is held once, and the answer is the roles after
 * the change, or null when no account has that address. The change counts from the next
 * request: StaffSessions reads the roles on every request.
 */
export async function changeStaffRole(
  dataSource: DataSource,
  email: string,
  role: StaffRole,
  change: 'grant' | 'revoke',
): Promise<StaffRoleChange | null> {
  const [user] = await queryRows<StaffRoleChange>(
    dataSource,
    `UPDATE users
        SET roles = CASE WHEN $3::boolean
                         THEN array_append(array_remove(roles, $2::text), $2::text)
                         ELSE array_remove(roles, $2::text) END,
            updated_at = now()
      WHERE email = $1
      RETURNING id, email, roles,
                EXISTS (SELECT 1 FROM mfa_factors f
                         WHERE f.user_id = users.id AND f.confirmed_at IS NOT NULL) AS "hasFactor"`,
    [normaliseEmail(email), role, change === 'grant'],
  );
  return user ?? null;
}
