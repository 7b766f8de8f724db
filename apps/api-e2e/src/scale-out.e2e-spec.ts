import { randomInt } from 'node:crypto';

import {
  ApiProcess,
  MailCatcher,
  PORTAL_URL,
  ReceivedMail,
  tokenFromMail,
} from '@account-recovery/testing';

import { isResetMail } from './support/mail-wait';
import { ROUTES, sha256Hex } from './support/service-api';

const PEOPLE = 200;
const REQUESTS = 2000;
const IN_FLIGHT = 16;
/** The per-address limit under test: at most this many reset emails per address and hour. */
const EMAILS_PER_HOUR = 3;
/** SIGKILL one worker once this many requests were answered, and start it again. */
const KILL_AFTER = 700;
const KILL_STAMP_SLACK_MS = 2000;
const REDIS_URL = process.env['E2E_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const address = (i: number) => `scale.${i}@example.com`;

/**
 * Scale-out on one machine: two API processes and two worker processes on one PostgreSQL
 * and one Redis. 2,000 forgot-password requests for 200 known addresses, spread over both
 * APIs; one worker is SIGKILLed mid-run and started again.
 *
 * What the per-address limit allows: ten requests per address inside the hour, cooldown 0,
 * at most RESET_EMAILS_PER_HOUR = 3 emails. A request whose address already has a link
 * from a newer request sends nothing (that link answers it), so each address gets between
 * one and three emails; every one of them must arrive exactly once, and only the newest
 * link of each address may work.
 */
describe('two APIs and two workers on one database, one worker killed mid-run', () => {
  const mail = new MailCatcher();
  const processes: ApiProcess[] = [];
  let apis: ApiProcess[];
  let workers: ApiProcess[];
  // A fresh client address per run: counters in a shared Redis outlive a test run.
  const client = { 'x-forwarded-for': `198.18.${randomInt(256)}.${randomInt(1, 255)}` };

  beforeAll(async () => {
    await mail.start();
    const env = {
      SMTP_URL: mail.url,
      REDIS_URL,
      // One proxy hop: the client address comes from X-Forwarded-For.
      TRUST_PROXY: '1',
      // Exactly the run's requests from its one client address, counted across both APIs.
      RATE_LIMIT_FORGOT_PER_MINUTE: String(REQUESTS),
      RESET_EMAILS_PER_HOUR: String(EMAILS_PER_HOUR),
      RESET_EMAIL_COOLDOWN_SECONDS: '0',
    };
    // The first one migrates the database; the others start on it, one after the other
    // (four processes booting at once on two busy cores take longer than any one of them).
    const readyTimeoutMs = 90_000;
    const first = await ApiProcess.start({ ...env, PROCESS_ROLE: 'api' }, { readyTimeoutMs });
    processes.push(first);
    for (const role of ['api', 'worker', 'worker']) {
      processes.push(
        await ApiProcess.start(
          { ...env, PROCESS_ROLE: role },
          { sameDatabaseAs: first, readyTimeoutMs },
        ),
      );
    }
    apis = [processes[0], processes[1]];
    workers = [processes[2], processes[3]];
    await first.query(
      `INSERT INTO users (email, display_name)
       SELECT 'scale.' || i || '@example.com', 'Scale Person' FROM generate_series(0, $1 - 1) i`,
      [PEOPLE],
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await mail.stop();
  });

  it('should deliver every email the limits allow exactly once, lose nothing, and hold the limits', async () => {
    const [api] = apis;
    const startedAt = Date.now();
    const statuses = new Map<number, number>();
    let answered = 0;
    let restart: Promise<void> | null = null;
    let killedAt = 0;
    let next = 0;
    const send = async () => {
      while (next < REQUESTS) {
        const i = next++;
        const target = apis[i % 2];
        const { status } = await target.post(ROUTES.forgot, { email: address(i % PEOPLE) }, client);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        answered += 1;
        if (answered === KILL_AFTER) {
          await workers[0].stop('SIGKILL');
          // The catcher stamps a mail once it has parsed it: one the worker handed over just
          // before it died can be stamped a little after its exit.
          killedAt = Date.now() + KILL_STAMP_SLACK_MS;
          restart = workers[0].launch();
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, send));
    expect(Object.fromEntries(statuses)).toEqual({ 202: REQUESTS });
    const requestsTook = Date.now() - startedAt;

    // The per-IP limit is one budget in Redis for both APIs: the next request is refused
    // by either (while the one-minute window of the run lasts).
    if (Date.now() - startedAt < 50_000) {
      for (const target of apis) {
        expect((await target.post(ROUTES.forgot, { email: address(0) }, client)).status).toBe(429);
      }
    }
    await restart;

    // Nothing lost: every job completes, those of the killed worker once their claim expired.
    const deadline = Date.now() + 100_000;
    let states: Record<string, number> = {};
    for (;;) {
      const rows = await api.query<{ state: string; n: number }>(
        `SELECT state::text AS state, count(*)::int AS n FROM pgboss.job
          WHERE name = 'account-email' GROUP BY state`,
      );
      states = Object.fromEntries(rows.map((row) => [row.state, row.n]));
      if (states['completed'] === REQUESTS || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(states).toEqual({ completed: REQUESTS });

    // Every issued link belongs to one request (its delivery job); map mails onto them.
    const tokens = await api.query<{
      email: string;
      token_hash: string;
      delivery_job_id: string;
      live: boolean;
    }>(
      `SELECT u.email, t.token_hash, t.delivery_job_id::text AS delivery_job_id,
              (t.revoked_at IS NULL AND t.used_at IS NULL) AS live
         FROM password_reset_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.purpose = 'reset'`,
    );
    const byHash = new Map(tokens.map((t) => [t.token_hash, t]));
    const problems: string[] = [];
    /** Requests whose email went out twice from live workers: never right. */
    const doubleSends: string[] = [];
    /** Sent by the killed worker, which died before it could mark the job done: sent again. */
    const resentAfterKill: string[] = [];
    let emails = 0;
    for (let i = 0; i < PEOPLE; i++) {
      const email = address(i);
      const mails = mail.mailsTo(email).filter(isResetMail);
      emails += mails.length;
      const jobs = new Set(tokens.filter((t) => t.email === email).map((t) => t.delivery_job_id));
      const mailsPerJob = new Map<string, ReceivedMail[]>();
      for (const received of mails) {
        const token = byHash.get(sha256Hex(tokenFromMail(received, PORTAL_URL)));
        if (!token || token.email !== email) {
          problems.push(`${email}: a mail whose link was never issued to it`);
          continue;
        }
        mailsPerJob.set(token.delivery_job_id, [
          ...(mailsPerJob.get(token.delivery_job_id) ?? []),
          received,
        ]);
      }
      if (jobs.size < 1 || jobs.size > EMAILS_PER_HOUR) {
        problems.push(
          `${email}: ${jobs.size} requests were issued a link, limit ${EMAILS_PER_HOUR}`,
        );
      }
      for (const job of jobs) {
        const sent = (mailsPerJob.get(job) ?? []).map((m) => m.receivedAt).sort((a, b) => a - b);
        if (sent.length === 2 && sent[0] <= killedAt && sent[1] > killedAt) {
          resentAfterKill.push(job);
        } else if (sent.length > 1) {
          const when = sent.map((at) => (at <= killedAt ? 'before' : 'after')).join(', ');
          const apart = Math.round((sent[1] - sent[0]) / 1000);
          doubleSends.push(
            `${email}: request ${job} emailed ${sent.length} times (${when} the kill, ${apart} s apart)`,
          );
        }
        // None is right only for an attempt that issued its link and died (or overran its
        // claim) before sending, when a newer request's link existed by the retry: that
        // newer link answers the person, and it must be the one delivered (checked below).
      }
      // Nothing lost: the address's one live link is in its inbox.
      const live = tokens.filter((t) => t.email === email && t.live);
      if (live.length !== 1) problems.push(`${email}: ${live.length} live links`);
      else if (!mails.some((m) => sha256Hex(tokenFromMail(m, PORTAL_URL)) === live[0].token_hash)) {
        problems.push(`${email}: its live link was never delivered`);
      }
    }
    expect(problems).toEqual([]);
    // The one duplicate no process can avoid: SMTP accepted the mail, then SIGKILL came
    // before the job was marked done; the retry sends a new link (the first stops working).
    if (resentAfterKill.length > 0) {
      const retried = await api.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE id = ANY($1::uuid[]) AND retry_count > 0`,
        [resentAfterKill],
      );
      expect(retried).toEqual([{ n: resentAfterKill.length }]);
    }

    // Only the newest link of each address works; every earlier one is refused.
    for (let i = 0; i < PEOPLE; i++) {
      const email = address(i);
      const working: string[] = [];
      for (const received of mail.mailsTo(email).filter(isResetMail)) {
        const token = tokenFromMail(received, PORTAL_URL);
        const { status } = await api.post(ROUTES.validate, { token });
        if (status === 200) working.push(sha256Hex(token));
        else expect(status).toBe(400);
      }
      const live = tokens.find((t) => t.email === email && t.live);
      expect(working).toEqual([live?.token_hash]);
    }
    console.log(
      `scale-out: ${REQUESTS} requests in ${Math.round(requestsTook / 1000)} s, ${emails} emails ` +
        `to ${PEOPLE} addresses, ${resentAfterKill.length} sent again after the SIGKILL, ` +
        `${doubleSends.length} sent twice by live workers, ` +
        `${Math.round((Date.now() - startedAt) / 1000)} s from the first request to the last check`,
    );
    // Last, so that a run that fails here has passed every check above.
    expect(doubleSends).toEqual([]);
  });
});
