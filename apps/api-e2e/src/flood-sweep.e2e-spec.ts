import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

import { isResetMail, waitForMailCount } from './support/mail-wait';
import { insertUser, ROUTES } from './support/service-api';

const UNKNOWN = 6000;
const KNOWN = 6;
const IN_FLIGHT = 32;
const KILL_STAMP_SLACK_MS = 2000;

const known = (i: number) => `flood.known.${i}@example.com`;
const unknown = (i: number) => `flood.nobody.${i}@example.com`;

/**
 * The worker's sweep (docs/architecture.md §3, "Flood"): a backlog of thousands of reset
 * requests for addresses without an account, with a few for people who have one among them,
 * is settled set-wise. Every person gets exactly one link, nobody else gets anything, every
 * job is finished, and a worker SIGKILLed while it works through the backlog loses nothing.
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

  it('should give the job partition of the email queue the autovacuum settings of hot tables (no VACUUM from the application)', async () => {
    // On a fresh database pg-boss creates its tables after the migrations: the queue's
    // creation sets them (queue/queue-tables.ts), as the migration does for older partitions.
    const [partition] = await api.query<{ reloptions: string[] | null }>(
      `SELECT c.reloptions FROM pgboss.queue q JOIN pg_class c ON c.relname = q.partition_name
        WHERE q.name = 'account-email'`,
    );
    expect(partition.reloptions).toEqual(
      expect.arrayContaining([
        'autovacuum_vacuum_threshold=5000',
        'autovacuum_vacuum_scale_factor=0',
      ]),
    );
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

    const states = async () =>
      Object.fromEntries(
        (
          await api.query<{ state: string; n: number }>(
            `SELECT state::text AS state, count(*)::int AS n FROM pgboss.job
              WHERE name = 'account-email' GROUP BY state`,
          )
        ).map((row) => [row.state, row.n]),
      );
    expect(await states()).toEqual({ created: emails.length });

    // Start the worker and kill it as soon as it has made progress, then start it again.
    await worker.launch();
    for (;;) {
      const now = await states();
      if ((now['completed'] ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await worker.stop('SIGKILL');
    // A mail the dead worker handed over just before it died can be stamped a little later.
    const killedAt = Date.now() + KILL_STAMP_SLACK_MS;
    const afterKill = await states();
    await worker.launch();

    const deadline = Date.now() + 90_000;
    let final: Record<string, number> = {};
    for (;;) {
      final = await states();
      if (final['completed'] === emails.length || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    // Every job finished (claims of the killed worker, if any, once they expired).
    expect(final).toEqual({ completed: emails.length });
    expect(afterKill['completed']).toBeGreaterThan(0);

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
