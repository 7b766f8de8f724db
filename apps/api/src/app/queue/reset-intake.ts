import { isLocale } from '@account-recovery/contracts';

import PgBoss from 'pg-boss';
import { EntityManager } from 'typeorm';

import { queryRows } from '../database/query-rows';
import { SYSTEM_ORIGIN } from '../events/event-context';
import { insertSecurityEvents } from '../events/security-events.service';
import { ACCOUNT_EMAIL_QUEUE, AccountEmailJob } from './account-email.job';
import { inTransaction } from './pg-boss-instance';

/** A forgot-password request as the API accepted it (docs/architecture.md §3, "Intake"). */
export type ResetRequestJob = Extract<AccountEmailJob, { kind: 'reset-request' }>;

/** A request taken from the intake, and whether an account has its address right now. */
export interface TakenRequest {
  job: ResetRequestJob;
  known: boolean;
}

/** What one move did with the requests it took. */
export interface MoveDecision {
  /** At least `busyAt` taken: a backlog (a flood, a benchmark), not a lone request. */
  busy: boolean;
  /** Sent to the email queue. */
  jobs: ResetRequestJob[];
  /** Settled here: no account has the address (counted as `no_account`). */
  dropped: number;
}

/**
 * One multi-row INSERT for a group of requests (InsertBatcher), its text fixed so that it
 * runs as a named statement: PostgreSQL parses and plans it once per connection.
 */
export const INSERT_INTAKE_SQL = `
  INSERT INTO reset_request_intake (email, address, ip, user_agent, requested_at, locale)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                       $6::text[])`;

/** The parameters of INSERT_INTAKE_SQL: one array per column. */
export function intakeColumns(jobs: ResetRequestJob[]): unknown[] {
  return [
    jobs.map((job) => job.email),
    jobs.map((job) => job.address ?? job.email),
    jobs.map((job) => job.ip),
    jobs.map((job) => job.userAgent),
    jobs.map((job) => job.requestedAt),
    jobs.map((job) => job.locale ?? null),
  ];
}

/**
 * Takes the oldest `limit` requests after id `$2` (IntakeCursor: SKIP LOCKED, so another
 * worker's move takes other rows), deletes them and says for each whether a `users` row has
 * its address: one statement, one index probe per request. Run inside the move's
 * transaction: if the process dies before the commit, the rows are back, and no job was
 * queued either.
 *
 * The DELETE names its rows as an array (`id = ANY`), not as a join with `picked`: the
 * planner sizes such an array at a handful of elements whatever the statistics say, so it
 * always probes the key. A join is planned from the table's statistics, which in a queue
 * table are always stale (thousands of rows one second, none the next, dead rows between
 * vacuums): after an ANALYZE that saw few live rows it hashed a sequential scan of the
 * whole table, dead rows included, into every move, 255 ms per move of 2,000 behind a
 * backlog of 265,000 (13 ms with the array and the cursor; docs/architecture.md §3).
 */
const TAKE_SQL = `
  WITH picked AS (
    SELECT id FROM reset_request_intake WHERE id > $2 ORDER BY id LIMIT $1
       FOR UPDATE SKIP LOCKED
  ), taken AS (
    DELETE FROM reset_request_intake r WHERE r.id = ANY (ARRAY(SELECT id FROM picked))
    RETURNING r.id, r.email, r.address, r.ip, r.user_agent, r.requested_at, r.locale
  )
  SELECT t.id::text AS id, t.email, t.address, t.ip, t.user_agent AS "userAgent",
         t.requested_at AS "requestedAt", t.locale,
         EXISTS (SELECT 1 FROM users u WHERE u.email = t.address) AS known
    FROM taken t ORDER BY t.id`;

interface TakenRow {
  id: string;
  email: string;
  address: string;
  ip: string | null;
  userAgent: string | null;
  requestedAt: Date;
  locale: string | null;
  known: boolean;
}

/**
 * The mover's decision. Quiet (fewer than `busyAt` taken): every request becomes a job,
 * unknown addresses too, so a lone request keeps the equal work of the email worker
 * (AccountEmailWorker.handle, `drained`) and what follows it tells nobody anything. Busy:
 * only requests for an address with an account become jobs, the rest are settled here, so
 * a flood of unknown addresses costs one row each and never delays a person's email.
 * Whether a batch is busy depends on how many were taken, never on which.
 */
export function decideMove(taken: TakenRequest[], busyAt: number): MoveDecision {
  const busy = taken.length >= busyAt;
  const jobs = taken.filter((request) => !busy || request.known).map((request) => request.job);
  return { busy, jobs, dropped: taken.length - jobs.length };
}

/**
 * One move, in the caller's transaction: take up to `limit` requests after id `after`
 * (IntakeCursor), decide, and send the jobs with pg-boss's own insert on the same
 * transaction, so the requests leave the intake exactly when their jobs exist. `lastId`:
 * the highest id taken (null: none), the cursor once the transaction has committed.
 */
export async function moveIntake(
  manager: EntityManager,
  boss: PgBoss,
  move: { limit: number; busyAt: number; after: string },
): Promise<MoveDecision & { taken: number; lastId: string | null }> {
  const rows = await queryRows<TakenRow>(manager, TAKE_SQL, [move.limit, move.after]);
  const taken = rows.map((row) => ({
    known: row.known,
    job: {
      kind: 'reset-request' as const,
      email: row.email,
      address: row.address,
      ip: row.ip,
      userAgent: row.userAgent,
      requestedAt: row.requestedAt.toISOString(),
      // Written by this API's ClientRequestMeta; anything else (a locale since removed) is none.
      locale: isLocale(row.locale) ? row.locale : null,
    },
  }));
  const decision = decideMove(taken, move.busyAt);
  if (decision.jobs.length > 0) {
    await boss.insert(
      decision.jobs.map((data) => ({ name: ACCOUNT_EMAIL_QUEUE, data })),
      { db: inTransaction(manager) },
    );
  }
  if (decision.dropped > 0) {
    // Counted, never listed (docs/architecture.md §10): one row per move, whatever its size,
    // and no address, IP or user agent of requests nobody has an account for.
    await insertSecurityEvents(manager, [
      {
        type: 'reset.requested_unknown',
        userId: null,
        ...SYSTEM_ORIGIN,
        details: { count: decision.dropped },
      },
    ]);
  }
  const lastId = rows.length > 0 ? rows[rows.length - 1].id : null;
  return { ...decision, taken: taken.length, lastId };
}

/** Requests waiting in the intake (for "is the queue idle" and the depth gauges). */
export const INTAKE_DEPTH_SQL = `
  SELECT count(*)::int AS depth,
         COALESCE(extract(epoch FROM now() - min(requested_at)), 0)::float AS oldest
    FROM reset_request_intake`;
