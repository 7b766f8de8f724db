import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

const API_KEY = 'e2e-service-key-0123456789';
const NEW_PASSWORD = 'violet tractor sings at dawn';

describe('password reset, end to end', () => {
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

  async function createUser(email: string, displayName?: string): Promise<string> {
    const created = await api.post(
      '/api/v1/users',
      { email, displayName },
      { 'x-api-key': API_KEY },
    );
    expect(created.status).toBe(201);
    return created.body['id'] as string;
  }

  async function requestLink(email: string): Promise<string> {
    // A mark, not a clock: a mail received in the same millisecond must not count as new.
    const after = mail.mark();
    const response = await api.post('/api/v1/auth/forgot-password', { email });
    expect(response.status).toBe(202);
    const received = await mail.waitFor(email.trim().toLowerCase(), {
      after,
      predicate: (m) => m.subject.includes('Reset'),
    });
    return tokenFromMail(received, PORTAL_URL);
  }

  it('should take a person from forgot-password to a signed-in session', async () => {
    const email = 'flow@example.com';
    await createUser(email, 'Flow Person');
    const token = await requestLink(email);

    const validated = await api.post('/api/v1/auth/reset-password/validate', { token });
    expect(validated.status).toBe(200);
    expect(validated.body['valid']).toBe(true);
    const expiresAt = new Date(validated.body['expiresAt'] as string).getTime();
    expect(expiresAt - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    const reset = await api.post('/api/v1/auth/reset-password', {
      token,
      newPassword: NEW_PASSWORD,
    });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ message: 'Password reset successful' });

    const login = await api.post('/api/v1/auth/login', { email, password: NEW_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body['tokenType']).toBe('Bearer');
    const me = await api.get('/api/v1/auth/me', {
      authorization: `Bearer ${login.body['accessToken']}`,
    });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: expect.any(String),
      email,
      displayName: 'Flow Person',
      locale: null,
      roles: [],
      mfa: { totp: false, recoveryCodesLeft: 0 },
    });

    const notice = await mail.waitFor(email, { predicate: (m) => m.subject.includes('changed') });
    expect(notice.text).not.toContain(NEW_PASSWORD);
  });

  it('should answer known and unknown addresses identically', async () => {
    await createUser('known@example.com');
    const known = await api.post('/api/v1/auth/forgot-password', { email: 'known@example.com' });
    const unknown = await api.post('/api/v1/auth/forgot-password', { email: 'nobody@example.com' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.text).toBe(known.text);
    expect(unknown.body).toEqual({ message: 'If the email exists, a reset link has been sent.' });
    const headerNames = (h: Headers) =>
      [...h.keys()].filter((k) => !['date', 'x-request-id'].includes(k)).sort();
    expect(headerNames(unknown.headers)).toEqual(headerNames(known.headers));
    await mail.waitFor('known@example.com', { predicate: (m) => m.subject.includes('Reset') });
    await new Promise((r) => setTimeout(r, 1500));
    expect(mail.mailsTo('nobody@example.com')).toHaveLength(0);
  });

  it('should store only the SHA-256 of the token', async () => {
    const email = 'hashed@example.com';
    await createUser(email);
    const token = await requestLink(email);
    const dump = await api.query<{ row: string }>(
      `SELECT row_to_json(t)::text AS row FROM password_reset_tokens t`,
    );
    expect(dump.map((r) => r.row).join('\n')).not.toContain(token);
    const { createHash } = await import('node:crypto');
    const rows = await api.query(`SELECT 1 FROM password_reset_tokens WHERE token_hash = $1`, [
      createHash('sha256').update(token).digest('hex'),
    ]);
    expect(rows).toHaveLength(1);
  });

  it('should refuse a used, an expired, a revoked and an unknown token with their codes', async () => {
    const email = 'states@example.com';
    await createUser(email);
    const first = await requestLink(email);
    const second = await requestLink(email);

    const revoked = await api.post('/api/v1/auth/reset-password/validate', { token: first });
    expect(revoked.body['code']).toBe('TOKEN_INVALID');

    expect(
      (await api.post('/api/v1/auth/reset-password', { token: second, newPassword: NEW_PASSWORD }))
        .status,
    ).toBe(200);
    const used = await api.post('/api/v1/auth/reset-password', {
      token: second,
      newPassword: NEW_PASSWORD,
    });
    expect(used.status).toBe(400);
    expect(used.body['code']).toBe('TOKEN_USED');

    const third = await requestLink(email);
    await api.query(
      `UPDATE password_reset_tokens SET created_at = now() - interval '1 hour', expires_at = now() - interval '1 second'
        WHERE used_at IS NULL AND revoked_at IS NULL`,
    );
    const expired = await api.post('/api/v1/auth/reset-password/validate', { token: third });
    expect(expired.status).toBe(400);
    expect(expired.body['code']).toBe('TOKEN_EXPIRED');
    const expiredReset = await api.post('/api/v1/auth/reset-password', {
      token: third,
      newPassword: NEW_PASSWORD,
    });
    expect(expiredReset.body['code']).toBe('TOKEN_EXPIRED');

    const unknown = await api.post('/api/v1/auth/reset-password/validate', {
      token: 'A'.repeat(43),
    });
    expect(unknown.body).toEqual({
      statusCode: 400,
      code: 'TOKEN_INVALID',
      message: expect.any(String),
    });
  });

  it('should let exactly one of 20 concurrent resets with one token succeed', async () => {
    const email = 'race@example.com';
    await createUser(email);
    const token = await requestLink(email);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.post('/api/v1/auth/reset-password', { token, newPassword: `${NEW_PASSWORD} ${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400 && r.body['code'] === 'TOKEN_USED')).toHaveLength(
      19,
    );
  });

  it('should end older sessions and the old password after a reset', async () => {
    const email = 'sessions@example.com';
    await createUser(email);
    await api.post('/api/v1/auth/reset-password', {
      token: await requestLink(email),
      newPassword: NEW_PASSWORD,
    });
    const oldSession = await api.post('/api/v1/auth/login', { email, password: NEW_PASSWORD });
    expect(oldSession.status).toBe(200);
    const bearer = { authorization: `Bearer ${oldSession.body['accessToken']}` };
    expect((await api.get('/api/v1/auth/me', bearer)).status).toBe(200);

    const newer = 'another calm passphrase here';
    expect(
      (
        await api.post('/api/v1/auth/reset-password', {
          token: await requestLink(email),
          newPassword: newer,
        })
      ).status,
    ).toBe(200);

    const me = await api.get('/api/v1/auth/me', bearer);
    expect(me.status).toBe(401);
    expect(me.body['code']).toBe('UNAUTHORIZED');
    const oldLogin = await api.post('/api/v1/auth/login', { email, password: NEW_PASSWORD });
    expect(oldLogin.status).toBe(401);
    expect(oldLogin.body['code']).toBe('INVALID_CREDENTIALS');
    expect((await api.post('/api/v1/auth/login', { email, password: newer })).status).toBe(200);
  });

  it('should deliver to the stored address when the request differs in case and spaces', async () => {
    await createUser('mixed.case@example.com');
    const after = mail.mark();
    expect(
      (await api.post('/api/v1/auth/forgot-password', { email: ' Mixed.Case@Example.COM ' }))
        .status,
    ).toBe(202);
    const received = await mail.waitFor('mixed.case@example.com', {
      after,
      predicate: (m) => m.subject.includes('Reset'),
    });
    expect(received.to).toEqual(['mixed.case@example.com']);
  });

  it('should build the link from PORTAL_URL whatever Host and X-Forwarded-Host say', async () => {
    const email = 'host@example.com';
    await createUser(email);
    const since = Date.now();
    await api.post(
      '/api/v1/auth/forgot-password',
      { email },
      { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    );
    const received = await mail.waitFor(email, {
      since,
      predicate: (m) => m.subject.includes('Reset'),
    });
    expect(received.text).toContain(`${PORTAL_URL}/reset-password/`);
    expect(received.text + received.html).not.toContain('evil.example');
  });

  it('should reject a password that breaks the policy without using up the link', async () => {
    const email = 'policy.person@example.com';
    await createUser(email);
    const token = await requestLink(email);
    const weak = await api.post('/api/v1/auth/reset-password', { token, newPassword: 'k7#qZ!' });
    expect(weak.status).toBe(400);
    expect(weak.body['code']).toBe('PASSWORD_POLICY');
    expect(weak.body['rules']).toEqual(['TOO_SHORT']);
    const personal = await api.post('/api/v1/auth/reset-password', {
      token,
      newPassword: 'policy.person is me!',
    });
    expect(personal.body['rules']).toEqual(['CONTAINS_EMAIL']);
    const common = await api.post('/api/v1/auth/reset-password', {
      token,
      // Long enough for the 15-character minimum, and still among the first guesses.
      newPassword: 'passwordpassword',
    });
    expect(common.body['rules']).toEqual(['COMMON']);
    expect((await api.post('/api/v1/auth/reset-password/validate', { token })).status).toBe(200);
  });
});
