import { ERROR_CODES } from '@account-recovery/contracts';

import { HttpStatus } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { ApiException } from '../common/http/api-exception';
import { queryRows } from '../database/query-rows';
import { ApiCaller } from './api-caller';

/**
 * Who acts on an account through the users routes: a caller ServiceAuthGuard admitted, or
 * the operator's CLI (`null`), which holds the database itself.
 */
export type ActingCaller = ApiCaller | null;

/**
 * Locks the target's row (first, as every change does: docs/architecture.md §11) and refuses
 * when it holds a staff role and the caller is neither an administrator's session nor the
 * CLI. The second factor is what stands between a stolen staff password and the staff API:
 * if the help desk (`mfa:write`) or a service key could remove it, send the link or change
 * the address, a lower privilege could make itself an administrator. Null when there is no
 * such user (the caller answers 404, as before). `read`: for an action that writes nothing on
 * the row and must not wait for it (a forced reset only queues its email; the worker's issue
 * takes the lock); a role granted in that very instant is then not seen.
 */
export async function lockActionTarget(
  manager: EntityManager,
  userId: string,
  caller: ActingCaller,
  lock: 'lock' | 'read' = 'lock',
): Promise<{ email: string; roles: string[] } | null> {
  const [target] = await queryRows<{ email: string; roles: string[] }>(
    manager,
    `SELECT email, roles FROM users WHERE id = $1${lock === 'lock' ? ' FOR UPDATE' : ''}`,
    [userId],
  );
  if (!target) return null;
  if (target.roles.length > 0 && !mayActOnStaff(caller)) {
    throw new ApiException(
      HttpStatus.FORBIDDEN,
      ERROR_CODES.STAFF_ACCOUNT_PROTECTED,
      'auth.staff-account-protected',
    );
  }
  return target;
}

function mayActOnStaff(caller: ActingCaller): boolean {
  return caller === null || (caller.kind === 'staff' && caller.roles.includes('admin'));
}
