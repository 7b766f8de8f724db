import { randomBytes } from 'node:crypto';

import type { ApiProcess } from '@account-recovery/testing';

import { sha256Hex } from './service-api';

/** Users a generated request may name by id, and the one reset link it may use. */
export interface Targets {
  ids: string[];
  emails: string[];
  /** A live reset token of the first user. */
  token: string;
}

/**
 * Real users (and a live reset link for the first) so generated requests do not all stop at
 * "no such user" or "invalid link": PATCH, DELETE and forced resets reach the services, and
 * validate and reset-password with the live token reach the token checks and the policy.
 */
export async function seedTargets(api: ApiProcess, count = 3): Promise<Targets> {
  const token = randomBytes(32).toString('base64url');
  const emails = Array.from({ length: count }, (_, i) => `target-${i}@example.com`);
  const ids: string[] = [];
  for (const email of emails) {
    const [row] = await api.query<{ id: string }>(
      `INSERT INTO users (email, display_name) VALUES ($1, 'Target') RETURNING id`,
      [email],
    );
    ids.push(row.id);
  }
  await api.query(
    `INSERT INTO password_reset_tokens (user_id, token_hash, purpose, expires_at)
     VALUES ($1, $2, 'reset', now() + interval '1 hour')`,
    [ids[0], sha256Hex(token)],
  );
  return { ids, emails, token };
}

/** Whether a request names a target: by id in its path or by the live token in its body. */
export function namesTarget(targets: Targets, path: string, body: string | undefined): boolean {
  return (
    targets.ids.some((id) => path.includes(id)) ||
    (body !== undefined && body.includes(targets.token))
  );
}
