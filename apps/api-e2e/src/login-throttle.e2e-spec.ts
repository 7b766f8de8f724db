import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

const API_KEY = 'e2e-throttle-key-0123456789';
const PASSWORD = 'patient heron by the river';

describe('per-account login throttling', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;
  const email = 'throttled@example.com';

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ SMTP_URL: mail.url, SERVICE_API_KEYS: API_KEY });
    await api.post('/api/v1/users', { email }, { 'x-api-key': API_KEY });
    const token = tokenFromMail(await mail.waitFor(email), PORTAL_URL);
    expect(
      (await api.post('/api/v1/auth/reset-password', { token, newPassword: PASSWORD })).status,
    ).toBe(200);
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  const login = (password: string) => api.post('/api/v1/auth/login', { email, password });
  const counters = async () =>
    (
      await api.query<{ n: number }>(`SELECT failed_login_count AS n FROM users WHERE email = $1`, [
        email,
      ])
    )[0].n;

  it('should count consecutive failures and clear them on success', async () => {
    for (let i = 0; i < 3; i += 1)
      expect((await login('not the password at all')).status).toBe(401);
    expect(await counters()).toBe(3);
    expect((await login(PASSWORD)).status).toBe(200);
    expect(await counters()).toBe(0);
  });

  it('should refuse even the right password while the account must wait, with the usual answer', async () => {
    await api.query(
      `UPDATE users SET failed_login_count = 10, last_failed_login_at = now() WHERE email = $1`,
      [email],
    );
    const refused = await login(PASSWORD);
    expect(refused.status).toBe(401);
    expect(refused.body['code']).toBe('INVALID_CREDENTIALS');
    // The wait for 10 failures is 32 s; once it has passed, the right password works.
    await api.query(
      `UPDATE users SET last_failed_login_at = now() - interval '33 seconds' WHERE email = $1`,
      [email],
    );
    expect((await login(PASSWORD)).status).toBe(200);
  });

  it('should lock sign-in after 100 consecutive failures until a reset, which is never blocked', async () => {
    await api.query(
      `UPDATE users SET failed_login_count = 100, last_failed_login_at = now() - interval '1 day' WHERE email = $1`,
      [email],
    );
    expect((await login(PASSWORD)).status).toBe(401);
    const after = mail.mark();
    expect((await api.post('/api/v1/auth/forgot-password', { email })).status).toBe(202);
    const token = tokenFromMail(
      await mail.waitFor(email, { after, predicate: (m) => m.subject.includes('Reset') }),
      PORTAL_URL,
    );
    const newer = 'a different calm passphrase';
    expect(
      (await api.post('/api/v1/auth/reset-password', { token, newPassword: newer })).status,
    ).toBe(200);
    expect(await counters()).toBe(0);
    expect((await login(newer)).status).toBe(200);
  });

  it('should refuse input longer than 72 bytes even when it starts with the password', async () => {
    const after = mail.mark();
    expect((await api.post('/api/v1/auth/forgot-password', { email })).status).toBe(202);
    const token = tokenFromMail(
      await mail.waitFor(email, { after, predicate: (m) => m.subject.includes('Reset') }),
      PORTAL_URL,
    );
    // The longest password the policy allows (64 characters) that fills bcrypt's 72 bytes.
    const exact = 'seventy-two bytes in sixty-four characters: éééééééé, kept so: k';
    expect(Buffer.byteLength(exact)).toBe(72);
    expect(
      (await api.post('/api/v1/auth/reset-password', { token, newPassword: exact })).status,
    ).toBe(200);
    // bcrypt would compare only the first 72 bytes: the longer input must not sign in.
    expect((await login(`${exact}and more`)).status).toBe(401);
    expect((await login(exact)).status).toBe(200);
  });
});
