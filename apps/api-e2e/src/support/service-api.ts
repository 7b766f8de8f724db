import { createHash } from 'node:crypto';

import type { ApiProcess } from '@account-recovery/testing';

export const API_KEY_HEADER = 'x-api-key';

export const ROUTES = {
  forgot: '/api/v1/auth/forgot-password',
  validate: '/api/v1/auth/reset-password/validate',
  reset: '/api/v1/auth/reset-password',
  login: '/api/v1/auth/login',
  me: '/api/v1/auth/me',
  users: '/api/v1/users',
  ready: '/api/health/ready',
} as const;

/** Provisions a user through the service API (which also queues the invitation). */
export async function createUserViaApi(
  api: ApiProcess,
  apiKey: string,
  email: string,
  displayName?: string,
): Promise<string> {
  const created = await api.post(
    ROUTES.users,
    { email, displayName },
    { [API_KEY_HEADER]: apiKey },
  );
  if (created.status !== 201)
    throw new Error(`user not created: ${created.status} ${created.text}`);
  return created.body['id'] as string;
}

/**
 * A user written straight into the database: nothing is emailed, so no pooled SMTP
 * connection is left open (smtp-server lets open sessions run on for 30 s after `close`).
 */
export async function insertUser(api: ApiProcess, email: string): Promise<string> {
  const [row] = await api.query<{ id: string }>(
    `INSERT INTO users (email, display_name) VALUES ($1, $2) RETURNING id`,
    [email, 'Inserted Person'],
  );
  return row.id;
}

/** Hashes of the user's links that could still be used right now. */
export async function usableTokenHashes(api: ApiProcess, userId: string): Promise<string[]> {
  const rows = await api.query<{ token_hash: string }>(
    `SELECT token_hash FROM password_reset_tokens
      WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()`,
    [userId],
  );
  return rows.map((row) => row.token_hash);
}

export const sha256Hex = (value: string): string =>
  createHash('sha256').update(value, 'utf8').digest('hex');
