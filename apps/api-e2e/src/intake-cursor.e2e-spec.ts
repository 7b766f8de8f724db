import { ApiProcess, MailCatcher } from '@account-recovery/testing';

import { Client } from 'pg';

import { intakeCount } from './support/email-jobs';
import { isResetMail, waitForMailCount } from './support/mail-wait';
import { insertUser } from './support/service-api';

/** Requests deleted by earlier moves and kept dead (see the second test). */
const DEAD = 60_000;
/** The backlog moved behind them: twenty moves of 2,000. */
const BACKLOG = 40_000;
/** How often a mover starts from the intake's beginning (queue/intake-move.ts). */
const FULL_PASS_MS = 2000;

/** `count` requests for addresses without an account, written as the API writes them. */
async function fillIntake(api: ApiProcess, prefix: string, count: number): Promise<void> {
  await api.query(
    `INSERT INTO reset_request_intake (email, address, ip, user_agent, requested_at)
     SELECT a, a, '192.0.2.9', NULL, now()
       FROM (SELECT $1 || g || '@example.com' AS a FROM generate_series(1, $2::int) g) s`,
    [prefix, count],
  );
}

/**
 * Rows left, counted without the intake's key: `count(ctid)` needs the heap, so it is never an
 * index-only scan, and this test's own polls cannot add to the key entries it measures.
 */
async function rowsLeft(api: ApiProcess): Promise<number> {
  const [row] = await api.query<{ n: number }>(
    `SELECT count(ctid)::int AS n FROM reset_request_intake`,
  );
  return row.n;
}

async function untilIntakeEmpty(api: ApiProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await rowsLeft(api)) > 0) {
    if (Date.now() > deadline) throw new Error(`the intake was not moved in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Entries of the intake's key that index scans returned, dead ones included (PostgreSQL's
 * `idx_tup_read`), once the figure is final: a backend reports when it exits, and the
 * worker's have just been closed.
 */
async function keyEntriesRead(api: ApiProcess): Promise<number> {
  const read = async () =>
    (
      await api.query<{ n: number }>(
        `SELECT idx_tup_read::int AS n FROM pg_stat_user_indexes
          WHERE indexrelname = 'reset_request_intake_pkey'`,
      )
    )[0].n;
  let last = await read();
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await read();
    if (now === last) return now;
    last = now;
  }
}

/**
 * Each worker's mover takes the oldest requests after a cursor of its own, and from the
 * beginning every 2 s (docs/architecture.md §3, "Intake"): what a move costs does not grow
 * with the rows earlier moves deleted, and a request committed behind the cursor is still
 * moved.
 */
describe('the intake mover’s cursor', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;
  let worker: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ PROCESS_ROLE: 'api', SMTP_URL: mail.url });
    worker = await ApiProcess.start(
      { PROCESS_ROLE: 'worker', SMTP_URL: mail.url },
      { sameDatabaseAs: api },
    );
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await mail.stop();
  });

  it('should move a request committed after the rows behind it were moved', async () => {
    const email = 'late.commit@example.com';
    await insertUser(api, email);
    // Another API replica's INSERT: its id is drawn now, its commit comes last.
    const late = new Client({ connectionString: api.databaseUrl });
    await late.connect();
    try {
      await late.query('BEGIN');
      await late.query(
        `INSERT INTO reset_request_intake (email, address, ip, user_agent, requested_at)
         VALUES ($1, $1, '192.0.2.8', NULL, now())`,
        [email],
      );
      // Rows with higher ids, committed and moved: the cursor is past the late one.
      await fillIntake(api, 'ahead.', 3000);
      await untilIntakeEmpty(api, 30_000);
      await late.query('COMMIT');
    } finally {
      await late.end();
    }
    const [sent] = await waitForMailCount(mail, email, 1, { timeoutMs: 15_000 });
    expect(isResetMail(sent)).toBe(true);
    expect(await intakeCount(api)).toBe(0);
  }, 90_000);

  it('should not walk the rows earlier moves deleted at every move, even while they cannot be cleaned up', async () => {
    // An old snapshot (a long report, a replica's query…) keeps every row deleted after it
    // visible to someone: neither vacuum nor index scans may drop their key entries.
    const holder = new Client({ connectionString: api.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await holder.query('SELECT count(*) FROM users');
      await fillIntake(api, 'dead.', DEAD);
      await untilIntakeEmpty(api, 60_000);

      // A fresh worker (its first move a full pass) moves a backlog behind the dead rows.
      await worker.stop();
      const before = await keyEntriesRead(api);
      await fillIntake(api, 'backlog.', BACKLOG);
      const startedAt = Date.now();
      await worker.launch();
      await untilIntakeEmpty(api, 60_000);
      await worker.stop();
      const elapsedMs = Date.now() - startedAt;
      const read = (await keyEntriesRead(api)) - before;

      // Each move reads its own rows' entries twice (take, delete). A full pass from the
      // beginning (at start-up, then every FULL_PASS_MS until the worker stops) also walks
      // the dead rows and the backlog moved so far, at most DEAD + BACKLOG entries: 140,001
      // in 1.4 s when the test runs alone (one pass over the dead rows). Inside the whole
      // suite runs have read 640,000 to 976,000, more than the passes their time allowed
      // explain; where the rest comes from is not established, so a failure names the time.
      // The bound: three quarters of the 1.72 M entries that moves starting from the
      // beginning each time read here, however fast, or what the passes allow if more.
      const fullPasses = Math.ceil(elapsedMs / FULL_PASS_MS) + 1;
      expect(read).toBeGreaterThanOrEqual(2 * BACKLOG);
      const bound = Math.max(1_290_000, 2 * BACKLOG + fullPasses * (DEAD + BACKLOG));
      expect(`${read} entries read in ${elapsedMs} ms`).toBe(
        read < bound ? `${read} entries read in ${elapsedMs} ms` : `fewer than ${bound}`,
      );
    } finally {
      await holder.end();
      await worker.launch();
    }
  }, 240_000);
});
