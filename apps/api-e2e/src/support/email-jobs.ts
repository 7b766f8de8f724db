import type { ApiProcess } from '@account-recovery/testing';

export type EmailJobKind = 'reset-request' | 'forced-reset' | 'invitation' | 'password-changed';

export interface EmailJob {
  id: string;
  state: string;
  retryCount: number;
}

/** States after which a job sends nothing more. */
const SETTLED = ['completed', 'failed', 'cancelled'];

/**
 * The email jobs pg-boss holds on this instance's database, read from the queue's own
 * table: whether a job is still waiting, retrying or done is a fact there, so a test can
 * wait for "the worker has dealt with it" instead of sleeping and hoping.
 */
export function emailJobs(
  api: ApiProcess,
  kind: EmailJobKind,
  match: Record<string, string> = {},
): Promise<EmailJob[]> {
  return api.query<EmailJob>(
    `SELECT id, state::text AS state, retry_count AS "retryCount"
       FROM pgboss.job
      WHERE name = 'account-email' AND data->>'kind' = $1 AND data @> $2::jsonb
      ORDER BY created_on`,
    [kind, JSON.stringify(match)],
  );
}

/** Waits until `count` such jobs exist and every one of them is settled; returns them. */
export async function waitForSettledJobs(
  api: ApiProcess,
  kind: EmailJobKind,
  options: { count: number; match?: Record<string, string>; timeoutMs?: number },
): Promise<EmailJob[]> {
  const { count, match = {}, timeoutMs = 15_000 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = await emailJobs(api, kind, match);
    if (jobs.length >= count && jobs.every((job) => SETTLED.includes(job.state))) return jobs;
    if (Date.now() > deadline) {
      throw new Error(
        `${count} settled ${kind} job(s) expected within ${timeoutMs} ms, found ${JSON.stringify(jobs)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Forgot-password requests accepted and not yet moved into the queue: rows of the intake
 * (docs/architecture.md §3, "Intake"), which a worker turns into jobs.
 */
export async function intakeCount(api: ApiProcess): Promise<number> {
  const [row] = await api.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reset_request_intake`,
  );
  return row.n;
}

/**
 * Forgot-password requests that exist in any form: still in the intake or already a job.
 * One statement, one snapshot: a request moved in between is counted once.
 */
export async function resetRequestCount(api: ApiProcess): Promise<number> {
  const [row] = await api.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM reset_request_intake)::int
          + (SELECT count(*) FROM pgboss.job
              WHERE name = 'account-email' AND data->>'kind' = 'reset-request')::int AS n`,
  );
  return row.n;
}
