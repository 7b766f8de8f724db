import { normaliseEmail, STAFF_ROLES, StaffRole } from '@account-recovery/contracts';

import { DataSource } from 'typeorm';

import { queryRows } from '../database/query-rows';
import { SYSTEM_ORIGIN } from '../events/event-context';
import { insertSecurityEvents } from '../events/security-events.service';

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}

export interface StaffRoleChange {
  id: string;
  email: string;
  /** The roles after the change. */
  roles: StaffRole[];
  /** False when the person already had (grant) or did not have (revoke) the role. */
  changed: boolean;
  /** A confirmed second factor: without one the password alone guards the staff account. */
  hasFactor: boolean;
}

/**
 * Grants or revokes a staff role (the operator CLI's `user:grant`; there is no HTTP route,
 * so no session, however privileged, can make anyone staff). One transaction: the row is
 * locked while its roles are read, a role is held once, and a change that happened is
 * `user.role_granted` or `user.role_revoked` (actor `system`, `details.role`) with it, or
 * neither commits. Granting a role held already, or revoking one not held, changes nothing
 * and records nothing: the trail answers "who held which role when", and an event for a
 * no-op would say a change happened where none did. The address is normalised as everywhere
 * else; null when no account has it. The change counts from the next request:
 * StaffSessions reads the roles on every request.
 */
export function changeStaffRole(
  dataSource: DataSource,
  email: string,
  role: StaffRole,
  change: 'grant' | 'revoke',
): Promise<StaffRoleChange | null> {
  const grant = change === 'grant';
  return dataSource.transaction(async (manager) => {
    const [user] = await queryRows<Omit<StaffRoleChange, 'changed'>>(
      manager,
      `SELECT id, email, roles,
              EXISTS (SELECT 1 FROM mfa_factors f
                       WHERE f.user_id = users.id AND f.confirmed_at IS NOT NULL) AS "hasFactor"
         FROM users WHERE email = $1 FOR UPDATE`,
      [normaliseEmail(email)],
    );
    if (!user) return null;
    if (user.roles.includes(role) === grant) return { ...user, changed: false };
    const [after] = await queryRows<{ roles: StaffRole[] }>(
      manager,
      `UPDATE users
          SET roles = CASE WHEN $3::boolean THEN array_append(roles, $2::text)
                           ELSE array_remove(roles, $2::text) END,
              updated_at = now()
        WHERE id = $1
        RETURNING roles`,
      [user.id, role, grant],
    );
    await insertSecurityEvents(manager, [
      {
        type: grant ? 'user.role_granted' : 'user.role_revoked',
        userId: user.id,
        ...SYSTEM_ORIGIN,
        details: { role },
      },
    ]);
    return { ...user, roles: after?.roles ?? user.roles, changed: true };
  });
}
