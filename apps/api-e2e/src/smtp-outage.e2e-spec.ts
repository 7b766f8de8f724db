import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

import { emailJobs } from './support/email-jobs';
import { isResetMail } from './support/mail-wait';
import { insertUser, ROUTES, sha256Hex, usableTokenHashes } from './support/service-api';

const OUTAGE_MS = 30_000;
/** Back-off from a 1 s delay doubles per attempt: the next try can be ~32 s after the outage. */
const DELIVERY_TIMEOUT_MS = 60_000;

/**
 * Email delivery when the SMTP server is away. Each case gets its own API and listener:
 * a listener that has already delivered keeps its open session alive after `stop()`.
 */
describe('email delivery through an SMTP outage', () => {
  const running: { api: ApiProcess; mail: MailCatcher }[] = [];

  async function startApiWithMail(): Promise<{ api: ApiProcess; mail: MailCatcher }> {
    const mail = new MailCatcher();
    await mail.start();
    const api = await ApiProcess.start({ SMTP_URL: mail.url });
    running.push({ api, mail });
    return { api, mail };
  }

  afterEach(async () => {
    for (const { api, mail } of running.splice(0)) {
      await api.stop();
      await mail.stop();
    }
  });

  it('should deliver a working link once the SMTP server is back after 30 s', async () => {
    const { api, mail } = await startApiWithMail();
    const email = 'outage@example.com';
    const userId = await insertUser(api, email);

    await mail.stop();
    expect((await api.post(ROUTES.forgot, { email })).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));

    // The job is being retried, not dropped, and every failed attempt issued a link.
    const [job] = await emailJobs(api, 'reset-request', { email });
    expect(job.retryCount).toBeGreaterThanOrEqual(1);
    expect(['created', 'retry', 'active']).toContain(job.state);
    const issuedDuringOutage = await api.query(
      `SELECT 1 FROM password_reset_tokens WHERE user_id = $1`,
      [userId],
    );
    expect(issuedDuringOutage.length).toBeGreaterThanOrEqual(2);
    expect((await usableTokenHashes(api, userId)).length).toBeLessThanOrEqual(1);

    await mail.start();
    const received = await mail.waitFor(email, {
      timeoutMs: DELIVERY_TIMEOUT_MS,
      predicate: isResetMail,
    });
    const token = tokenFromMail(received, PORTAL_URL);
    const validated = await api.post(ROUTES.validate, { token });
    expect(validated.status).toBe(200);
    expect(validated.body['valid']).toBe(true);
    // The links of the failed attempts never reached anyone and are all revoked.
    expect(await usableTokenHashes(api, userId)).toEqual([sha256Hex(token)]);
    expect(mail.mailsTo(email)).toHaveLength(1);
  });

  it('should deliver the link when the API is killed right after accepting the request', async () => {
    const { api, mail } = await startApiWithMail();
    const email = 'crash@example.com';
    const userId = await insertUser(api, email);

    await mail.stop();
    expect((await api.post(ROUTES.forgot, { email })).status).toBe(202);
    await api.stop('SIGKILL');

    await mail.start();
    await api.launch();
    const received = await mail.waitFor(email, {
      timeoutMs: DELIVERY_TIMEOUT_MS,
      predicate: isResetMail,
    });
    const token = tokenFromMail(received, PORTAL_URL);
    expect((await api.post(ROUTES.validate, { token })).status).toBe(200);
    expect(await usableTokenHashes(api, userId)).toEqual([sha256Hex(token)]);
  });
});
