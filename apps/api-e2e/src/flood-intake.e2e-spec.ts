import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

import { Client } from 'pg';

import { emailJobs, intakeCount, waitForSettledJobs } from './support/email-jobs';
import { isResetMail, waitForMailCount } from './support/mail-wait';
import { insertUser, ROUTES } from './support/service-api';

const UNKNOWN = 6000;
const KNOWN = 6;
const IN_FLIGHT = 32;
const KILL_STAMP_SLACK_MS = 2000;
/** The newest requests, held back from the first worker (see the crash test). */
const HELD = 500;
/** The default MAIL_WORKER_CONCURRENCY: a move taking fewer than two full claims is quiet. */
const BUSY_AT = 2 * 16;

const known = (i: number) => `flood.known.${i}@example.com`;
const unknown = (i: number) => `flood.nobody.${i}@example.com`;

/** The reset-request jobs per state, and per address for the known ones. */
async function resetJobs(api: ApiProcess) {
  return api.query<{ email: string; state: string }>(
    `SELECT data->>'email' AS email, state::text AS state FROM pgboss.job
      WHERE name = 'account-email' AND data->>'kind' = 'reset-request'`,
  );
}

/**
 * The intake (docs/architecture.md §3, "Intake"): a backlog of thousands of forgot-password
 * requests for addresses without an account, a few for people who have one among them, is
 * moved by the worker set-wise: only the known addresses become jobs. Every person gets
 * exactly one link, nobody else gets anything, every request is settled, and a worker
 * SIGKILLed while it moves the backlog loses nothing and queues nothing twice.
 */
describe('a flood of unknown addresses with a few known ones among them', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;
  let worker: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ PROCESS_ROLE: 'api', SMTP_URL: mail.url });
    for (let i = 0; i < KNOWN; i++) await insertUser(api, known(i));
    worker = await ApiProcess.start(
      { PROCESS_ROLE: 'worker', SMTP_URL: mail.url },
      { sameDatabaseAs: api },
    );
    // The backlog builds while no worker runs (as behind a worker outage or a flood).
    await worker.stop();
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await mail.stop();
  });

  it('should give the intake and the email queue the autovacuum settings of hot tables (no VACUUM from the application)', async () => {
    // On a fresh database pg-boss creates its tables after the migrations: the queue's
    // creation sets them (queue/queue-tables.ts); the intake gets them from its migration.
    const tables = await api.query<{ reloptions: string[] | null }>(
      `SELECT c.reloptions FROM pgboss.queue q JOIN pg_class c ON c.relname = q.partition_name
        WHERE q.name = 'account-email'
       UNION ALL
       SELECT reloptions FROM pg_class WHERE oid = 'public.reset_request_intake'::regclass`,
    );
    expect(tables).toHaveLength(2);
    for (const table of tables) {
      expect(table.reloptions).toEqual(
        expect.arrayContaining([
          'autovacuum_vacuum_threshold=5000',
          'autovacuum_vacuum_scale_factor=0',
        ]),
      );
    }
  });

  it('should send each known address exactly one link, nothing else, and lose nothing across a crash', async () => {
    const emails = Array.from({ length: UNKNOWN }, (_, i) => unknown(i));
    // The known ones spread through the backlog, not at its front.
    for (let k = 0; k < KNOWN; k++) emails.splice(((k + 1) * UNKNOWN) / (KNOWN + 1), 0, known(k));
    let next = 0;
    const statuses = new Map<number, number>();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < emails.length) {
          const { status } = await api.post(ROUTES.forgot, { email: emails[next++] });
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    expect(Object.fromEntries(statuses)).toEqual({ 202: emails.length });
    // Every accepted request is a row of the intake; no job yet.
    expect(await intakeCount(api)).toBe(emails.length);
    expect(await resetJobs(api)).toEqual([]);

    // The newest requests are held by a transaction of the test's own: moves skip locked
    // rows (SKIP LOCKED), so however fast the worker is, requests are still waiting when it
    // dies, and they are moved only by its successor.
    const holder = new Client({ connectionString: api.databaseUrl });
    await holder.connect();
    await holder.query('BEGIN');
    const { rowCount: held } = await holder.query(
      `SELECT id FROM reset_request_intake ORDER BY id DESC LIMIT $1 FOR UPDATE`,
      [HELD],
    );
    expect(held).toBe(HELD);
    // Start the worker and kill it as soon as one move has committed, then start it again.
    await worker.launch();
    while ((await intakeCount(api)) === emails.length) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await worker.stop('SIGKILL');
    // A mail the dead worker handed over just before it died can be stamped a little later.
    const killedAt = Date.now() + KILL_STAMP_SLACK_MS;
    expect(await intakeCount(api)).toBeGreaterThanOrEqual(HELD);
    await holder.query('COMMIT');
    await holder.end();
    await worker.launch();

    const deadline = Date.now() + 90_000;
    let jobs = await resetJobs(api);
    for (;;) {
      const done = jobs.every((job) => job.state === 'completed');
      if ((done && (await intakeCount(api)) === 0) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
      jobs = await resetJobs(api);
    }
    // Every request settled: none left in the intake, every job finished.
    expect(await intakeCount(api)).toBe(0);
    expect(jobs.filter((job) => job.state !== 'completed')).toEqual([]);
    // Each known address became exactly one job: a move killed before its commit queued
    // nothing, and its requests were moved again once.
    for (let k = 0; k < KNOWN; k++) {
      expect({ k, jobs: jobs.filter((job) => job.email === known(k)).length }).toEqual({
        k,
        jobs: 1,
      });
    }
    // Unknown addresses became jobs only in a quiet move (the tail of the backlog).
    expect(jobs.filter((job) => job.email.startsWith('flood.nobody.')).length).toBeLessThan(
      BUSY_AT,
    );
    // The rest were counted in the trail by their moves, each exactly once (a killed move
    // rolled its count back with its requests), without an address (docs/architecture.md §10).
    const unknownJobs = jobs.filter((job) => job.email.startsWith('flood.nobody.')).length;
    const [counted] = await api.query<{ total: number; rows: number; named: number }>(
      `SELECT COALESCE(sum((details->>'count')::int), 0)::int AS total, count(*)::int AS rows,
              count(*) FILTER (WHERE ip IS NOT NULL OR user_id IS NOT NULL)::int AS named
         FROM security_events WHERE type = 'reset.requested_unknown' AND actor = 'system'`,
    );
    expect(counted.total).toBe(UNKNOWN - unknownJobs);
    expect(counted.rows).toBeLessThan(counted.total);
    expect(counted.named).toBe(0);

    for (let k = 0; k < KNOWN; k++) await waitForMailCount(mail, known(k), 1);
    // A moment for anything sent twice to show up.
    await new Promise((r) => setTimeout(r, 1000));
    // Nobody without an account got anything.
    expect(mail.received.filter((m) => m.to.some((to) => to.startsWith('flood.nobody.')))).toEqual(
      [],
    );
    for (let k = 0; k < KNOWN; k++) {
      const mails = mail.mailsTo(known(k));
      expect(mails.every(isResetMail)).toBe(true);
      // Exactly one from a live worker; a second only as the retry of a send the killed
      // worker made but could not acknowledge (its link then replaced by the retry's).
      const fromLiveWorkers = mails.filter((m) => m.receivedAt > killedAt);
      expect(fromLiveWorkers.length).toBeLessThanOrEqual(1);
      expect(mails.length - fromLiveWorkers.length).toBeLessThanOrEqual(1);
      const token = tokenFromMail(mails[mails.length - 1], PORTAL_URL);
      expect((await api.post(ROUTES.validate, { token })).status).toBe(200);
    }
    const links = await api.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM password_reset_tokens WHERE revoked_at IS NULL`,
    );
    expect(links[0].n).toBe(KNOWN);
  }, 240_000);
});

/**
 * A quiet intake: a lone request for an address without an account still becomes a job,
 * and the worker gives it the work a known address's request costs (the issuer's statements
 * on the link table, the email rendered, not sent), so what follows a request tells nobody
 * whether the address has an account.
 */
describe('a lone request for an address without an account', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ SMTP_URL: mail.url });
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  /** Scans of the link table, as PostgreSQL's statistics report them. */
  async function linkTableScans(): Promise<number> {
    const [row] = await api.query<{ scans: number }>(
      `SELECT (COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0))::int AS scans
         FROM pg_stat_user_tables WHERE relname = 'password_reset_tokens'`,
    );
    return row.scans;
  }

  it('should become a job and take the equal-work path, sending nothing', async () => {
    const email = 'quiet.nobody@example.com';
    // Control: once the start-up's own work (the retention purge) has been reported, nothing
    // touches the link table while no request comes (a backend reports its statistics
    // within ~10 s), so a change below is the request's job.
    let before = await linkTableScans();
    let quiet = false;
    for (let window = 0; window < 4 && !quiet; window++) {
      await new Promise((r) => setTimeout(r, 11_000));
      const now = await linkTableScans();
      quiet = now === before;
      before = now;
    }
    expect(quiet).toBe(true);

    expect((await api.post(ROUTES.forgot, { email })).status).toBe(202);
    const [job] = await waitForSettledJobs(api, 'reset-request', { count: 1, match: { email } });
    expect(job.state).toBe('completed');
    expect(await intakeCount(api)).toBe(0);

    const deadline = Date.now() + 20_000;
    while ((await linkTableScans()) === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(await linkTableScans()).toBeGreaterThan(before);
    expect(await emailJobs(api, 'reset-request')).toHaveLength(1);
    expect(mail.received).toEqual([]);
    expect(await api.query(`SELECT 1 FROM password_reset_tokens`)).toEqual([]);
  }, 120_000);
});
