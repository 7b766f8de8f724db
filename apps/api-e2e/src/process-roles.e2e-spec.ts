import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

import { emailJobs, intakeCount, waitForSettledJobs } from './support/email-jobs';
import { isResetMail } from './support/mail-wait';
import { insertUser, ROUTES } from './support/service-api';

/**
 * PROCESS_ROLE=api serves HTTP and only enqueues; PROCESS_ROLE=worker, on the same
 * database, claims and sends, and serves nothing but its health checks and metrics.
 */
describe('an API process and a worker process of their own', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;
  let worker: ApiProcess | undefined;
  const people = ['role.a@example.com', 'role.b@example.com', 'role.c@example.com'];

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ PROCESS_ROLE: 'api', SMTP_URL: mail.url });
    for (const email of people) await insertUser(api, email);
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await mail.stop();
  });

  it('should leave the jobs of an API-only process waiting in the queue', async () => {
    for (const email of people) expect((await api.post(ROUTES.forgot, { email })).status).toBe(202);
    // A worker in the same process would have claimed them within milliseconds.
    await new Promise((r) => setTimeout(r, 2000));
    // Accepted into the intake; only a worker moves requests into the queue.
    expect(await intakeCount(api)).toBe(3);
    expect(await emailJobs(api, 'reset-request')).toEqual([]);
    expect(mail.received).toHaveLength(0);
  });

  it('should have a worker on the same database send them, with working links', async () => {
    worker = await ApiProcess.start(
      { PROCESS_ROLE: 'worker', SMTP_URL: mail.url },
      { sameDatabaseAs: api },
    );
    await waitForSettledJobs(api, 'reset-request', { count: 3 });
    for (const email of people) {
      const [sent] = mail.mailsTo(email).filter(isResetMail);
      expect(mail.mailsTo(email)).toHaveLength(1);
      const token = tokenFromMail(sent, PORTAL_URL);
      expect((await api.post(ROUTES.validate, { token })).status).toBe(200);
    }
  });

  it('should serve only health and metrics on the worker health port, and no API port', async () => {
    const health = worker?.healthUrl ?? '';
    expect((await fetch(`${health}/api/health/live`)).status).toBe(200);
    const ready = await fetch(`${health}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, queue: { status: 'up' } },
    });
    const metrics = await fetch(`${health}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain(
      'account_recovery_emails_total{template="reset-password",outcome="sent"} 3',
    );

    const forgot = await fetch(`${health}${ROUTES.forgot}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: people[0] }),
    });
    expect(forgot.status).toBe(404);
    expect((await fetch(`${health}/api/docs`)).status).toBe(404);
    expect((await fetch(`${health}${ROUTES.users}`)).status).toBe(404);
    // PORT is the API's: a worker does not listen there at all.
    await expect(fetch(`${worker?.baseUrl}/api/health/live`)).rejects.toThrow();
  });

  it('should finish the job in hand and exit 0 on SIGTERM', async () => {
    const email = 'role.slow@example.com';
    await insertUser(api, email);
    // A slow mail server keeps the job in hand when the signal comes.
    mail.delayMs = 1500;
    const startedBefore = mail.started;
    expect((await api.post(ROUTES.forgot, { email })).status).toBe(202);
    const deadline = Date.now() + 15_000;
    while (mail.started === startedBefore && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(mail.started).toBe(startedBefore + 1);

    expect(await worker?.stop('SIGTERM')).toBe(0);
    expect(worker?.logs.some((line) => line.includes('stopped cleanly'))).toBe(true);
    // Finished before the process left: delivered and completed, nothing left to retry.
    expect(mail.mailsTo(email)).toHaveLength(1);
    const jobs = await emailJobs(api, 'reset-request', { email });
    expect(jobs.map((job) => job.state)).toEqual(['completed']);
    mail.delayMs = 0;
  });
});
