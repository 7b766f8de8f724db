import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

import { Client } from 'pg';

import { emailJobs, waitForSettledJobs } from './support/email-jobs';
import { isResetMail, waitForMailCount } from './support/mail-wait';
import { API_KEY_HEADER, insertUser, ROUTES, usableTokenHashes } from './support/service-api';

const API_KEY = 'email-worker-e2e-key-0123456789';
const NEW_PASSWORD = 'a brand new passphrase for the worker test';

/**
 * The email worker's delivery guarantees, each against a real SMTP listener that misbehaves
 * in one way: slow, racing an email change, or losing the end of a transaction.
 */
describe('email worker', () => {
  const running: { api: ApiProcess; mail: MailCatcher }[] = [];

  async function startApiWithMail(
    env: Record<string, string> = {},
  ): Promise<{ api: ApiProcess; mail: MailCatcher }> {
    const mail = new MailCatcher();
    await mail.start();
    const api = await ApiProcess.start({ SMTP_URL: mail.url, ...env });
    running.push({ api, mail });
    return { api, mail };
  }

  afterEach(async () => {
    for (const { api, mail } of running.splice(0)) {
      await api.stop();
      await mail.stop();
    }
  });

  it('should hold at most MAIL_WORKER_CONCURRENCY SMTP sessions against a slow relay and send each link once', async () => {
    const { api, mail } = await startApiWithMail({ MAIL_WORKER_CONCURRENCY: '2' });
    mail.delayMs = 700;
    const emails = Array.from({ length: 10 }, (_, i) => `slow-relay-${i}@example.com`);
    for (const email of emails) await insertUser(api, email);

    const answers = await Promise.all(emails.map((email) => api.post(ROUTES.forgot, { email })));
    expect(answers.map((answer) => answer.status)).toEqual(emails.map(() => 202));
    await waitForSettledJobs(api, 'reset-request', { count: emails.length, timeoutMs: 60_000 });

    expect(mail.mostSessionsAtOnce).toBeLessThanOrEqual(2);
    expect(mail.mostMessagesAtOnce).toBeLessThanOrEqual(2);
    for (const email of emails) {
      const received = mail.mailsTo(email).filter(isResetMail);
      expect({ email, count: received.length }).toEqual({ email, count: 1 });
      const token = tokenFromMail(received[0], PORTAL_URL);
      expect((await api.post(ROUTES.validate, { token })).status).toBe(200);
    }
    const jobs = await emailJobs(api, 'reset-request');
    expect(jobs.map((job) => [job.state, job.retryCount])).toEqual(
      emails.map(() => ['completed', 0]),
    );
  }, 120_000);

  it('should never send a live link to the old address when an email change races the worker', async () => {
    const { api, mail } = await startApiWithMail({ SERVICE_API_KEYS: API_KEY });
    const oldEmail = 'moving@example.com';
    const newEmail = 'moved@example.com';
    const userId = await insertUser(api, oldEmail);

    // The test holds the user's row, so both the email change and the worker queue behind it,
    // in that order: the change commits first, while the worker is already past its lookup.
    const holder = new Client({ connectionString: api.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
      // Read from another session: inside a transaction, pg_stat_activity is a snapshot.
      const waitingForRow = async (count: number) => {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const [{ waiting }] = await api.query<{ waiting: number }>(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          if (waiting >= count) return;
          if (Date.now() > deadline) throw new Error(`${count} waiters expected on the row`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      const patched = api.request(
        'PATCH',
        `${ROUTES.users}/${userId}`,
        { email: newEmail },
        { [API_KEY_HEADER]: API_KEY },
      );
      await waitingForRow(1);
      expect((await api.post(ROUTES.forgot, { email: oldEmail })).status).toBe(202);
      await waitingForRow(2);
      await holder.query('COMMIT');
      expect((await patched).status).toBe(200);
    } finally {
      await holder.end();
    }

    await waitForSettledJobs(api, 'reset-request', { count: 1, timeoutMs: 30_000 });
    // The notice to the old address is the last thing the worker sends there.
    await mail.waitFor(oldEmail, { predicate: (m) => m.subject.includes('email was changed') });
    const links = mail.mailsTo(oldEmail).filter(isResetMail);
    for (const received of links) {
      const token = tokenFromMail(received, PORTAL_URL);
      expect((await api.post(ROUTES.validate, { token })).status).not.toBe(200);
    }
    expect(links).toEqual([]);
    expect(await usableTokenHashes(api, userId)).toEqual([]);
  }, 90_000);

  it('should send no second link when the retry of a delivery comes after the person reset', async () => {
    const { api, mail } = await startApiWithMail({ MAIL_RETRY_DELAY_SECONDS: '1' });
    const email = 'lost-reply@example.com';
    await insertUser(api, email);

    // The relay keeps the first message but fails the end of its transaction, once the
    // person has used the link in it: the worker sees a failed send and retries.
    let releaseReply: () => void = () => undefined;
    const replyHeld = new Promise<void>((resolve) => (releaseReply = resolve));
    mail.beforeReply = async () => {
      mail.beforeReply = null;
      await replyHeld;
      throw Object.assign(new Error('4.4.2 connection lost after the message'), {
        responseCode: 451,
      });
    };

    expect((await api.post(ROUTES.forgot, { email })).status).toBe(202);
    const [first] = await waitForMailCount(mail, email, 1, { predicate: isResetMail });
    const token = tokenFromMail(first, PORTAL_URL);
    const reset = await api.post(ROUTES.reset, { token, newPassword: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    releaseReply();

    // Wait until the failed attempt was retried and the retry is over.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [job] = await emailJobs(api, 'reset-request', { email });
      if (job.retryCount >= 1 && job.state === 'completed') break;
      if (Date.now() > deadline) throw new Error(`retry not done: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await mail.waitFor(email, { predicate: (m) => m.subject.includes('password was changed') });
    expect(mail.mailsTo(email).filter(isResetMail)).toHaveLength(1);
  }, 90_000);
});
