import { ApiProcess, MailCatcher } from '@account-recovery/testing';

const API_KEY = 'e2e-shutdown-key-0123456789';

describe('graceful shutdown', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ SMTP_URL: mail.url, SERVICE_API_KEYS: API_KEY });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  it('should finish the email in hand, exit 0 on SIGTERM, and lose no queued email', async () => {
    const addresses = ['stop.a@example.com', 'stop.b@example.com', 'stop.c@example.com'];
    for (const email of addresses) {
      expect((await api.post('/api/v1/users', { email }, { 'x-api-key': API_KEY })).status).toBe(
        201,
      );
    }
    // Invitations are queued; a slow mail server keeps the first one in hand at SIGTERM.
    mail.delayMs = 1500;
    const deadline = Date.now() + 15_000;
    while (mail.started === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(mail.started).toBeGreaterThan(0);

    const exitCode = await api.stop('SIGTERM');
    expect(exitCode).toBe(0);
    expect(api.logs.some((line) => line.includes('stopped cleanly'))).toBe(true);
    // The one in hand was finished before the process left, not abandoned.
    expect(mail.received.length).toBeGreaterThanOrEqual(1);

    mail.delayMs = 0;
    await api.launch();
    for (const email of addresses) {
      await mail.waitFor(email, { timeoutMs: 30_000 });
    }
    const lost = await api.query(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'account-email' AND state <> 'completed'`,
    );
    expect(lost).toEqual([{ n: 0 }]);
    // Each person got exactly one invitation: the finished job was not sent twice.
    for (const email of addresses) expect(mail.mailsTo(email)).toHaveLength(1);
  });
});
