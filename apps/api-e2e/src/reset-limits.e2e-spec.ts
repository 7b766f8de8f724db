import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

import { waitForSettledJobs } from './support/email-jobs';
import { isResetMail, waitForMailCount } from './support/mail-wait';
import { insertUser, ROUTES } from './support/service-api';

const FORGOT_ANSWER = { message: 'If the email exists, a reset link has been sent.' };

/**
 * The per-address limit on reset emails (docs/architecture.md §3): silent for the requester,
 * who always gets the same 202, and the newest link is the only one that works.
 * Each limit runs in an API of its own; they share one listener, with distinct addresses.
 */
describe('per-address limits on reset emails', () => {
  const mail = new MailCatcher();
  const apis: ApiProcess[] = [];

  beforeAll(async () => {
    await mail.start();
  });

  afterAll(async () => {
    for (const api of apis) await api.stop();
    await mail.stop();
  });

  async function startApi(env: Record<string, string>): Promise<ApiProcess> {
    const api = await ApiProcess.start({ SMTP_URL: mail.url, ...env });
    apis.push(api);
    return api;
  }

  it('should answer five requests alike and send three emails, each revoking the one before', async () => {
    const api = await startApi({ RESET_EMAILS_PER_HOUR: '3' });
    const email = 'limited@example.com';
    await insertUser(api, email);

    // One request at a time, each dealt with by the worker before the next: jobs run in
    // parallel, and an older request overtaken by a newer one sends nothing (its link is
    // superseded), which would make the count depend on scheduling.
    const answers = [];
    for (let i = 1; i <= 5; i += 1) {
      answers.push(await api.post(ROUTES.forgot, { email }));
      const jobs = await waitForSettledJobs(api, 'reset-request', { count: i, match: { email } });
      expect(jobs.map((job) => job.state)).toEqual(Array(i).fill('completed'));
    }
    for (const answer of answers) {
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual(FORGOT_ANSWER);
      expect(answer.text).toBe(answers[0].text);
    }

    // Every request has been dealt with: nothing more can arrive for them.
    const mails = await waitForMailCount(mail, email, 3, { predicate: isResetMail });
    expect(mail.mailsTo(email)).toHaveLength(3);

    const tokens = mails.map((m) => tokenFromMail(m, PORTAL_URL));
    expect(new Set(tokens).size).toBe(3);
    for (const older of tokens.slice(0, 2)) {
      const refused = await api.post(ROUTES.validate, { token: older });
      expect(refused.status).toBe(400);
      expect(refused.body['code']).toBe('TOKEN_INVALID');
    }
    expect((await api.post(ROUTES.validate, { token: tokens[2] })).status).toBe(200);
  });

  it('should send one email for two requests within the cooldown and keep its link valid', async () => {
    const api = await startApi({ RESET_EMAIL_COOLDOWN_SECONDS: '60' });
    const email = 'cooling@example.com';
    await insertUser(api, email);

    const first = await api.post(ROUTES.forgot, { email });
    await waitForSettledJobs(api, 'reset-request', { count: 1, match: { email } });
    await mail.waitFor(email, { predicate: isResetMail });
    const second = await api.post(ROUTES.forgot, { email });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.text).toBe(first.text);

    await waitForSettledJobs(api, 'reset-request', { count: 2, match: { email } });
    const mails = mail.mailsTo(email);
    expect(mails).toHaveLength(1);
    // The dropped request revoked nothing: the one link sent still works.
    const token = tokenFromMail(mails[0], PORTAL_URL);
    expect((await api.post(ROUTES.validate, { token })).status).toBe(200);
  });
});
