import { createHash, createHmac } from 'node:crypto';

import {
  ApiProcess,
  MailCatcher,
  PORTAL_URL,
  tokenFromMail,
  WebhookReceiver,
} from '@account-recovery/testing';

import { resetCodeFromMail, SecondFactorSteps } from './support/second-factor';
import { sendSimultaneously } from './support/simultaneous-requests';

const API_KEY = 'e2e-service-key-0123456789';
const JWT_SECRET = 'e2e-jwt-secret-for-reauth-0123456789abcdef';
const PASSWORD = 'violet tractor sings at dawn';
const NEW_PASSWORD = 'seven quiet herons over the lake';

describe('second factor: recovery', () => {
  const mail = new MailCatcher();
  const hooks = new WebhookReceiver(
    'whsec_' + Buffer.from('e2e-mfa-webhook-secret-32-bytes!').toString('base64'),
  );
  let api: ApiProcess;
  const steps = new SecondFactorSteps(() => api, mail, API_KEY);

  beforeAll(async () => {
    await mail.start();
    await hooks.start();
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      JWT_SECRET,
      WEBHOOK_ENDPOINTS: `${hooks.url}=${hooks.secret}`,
    });
  });

  afterAll(async () => {
    await api?.stop();
    await hooks.stop();
    await mail.stop();
  });

  async function enrolled(email: string) {
    await steps.createUserWithPassword(email, PASSWORD);
    return steps.enrol(await steps.bearer(email, PASSWORD));
  }

  it('should ask the holder of a link for the factor, and keep the link usable until it is shown', async () => {
    const email = 'reset-mfa@example.com';
    const { authenticator } = await enrolled(email);
    const token = await steps.requestLink(email);
    // Someone with the old password got as far as the second step before the reset.
    const { challengeToken: before } = await steps.signIn(email, PASSWORD);

    const validated = await api.post('/api/v1/auth/reset-password/validate', { token });
    expect(validated.body['secondFactor']).toEqual({ methods: ['totp', 'recovery_code'] });
    expect(validated.body['passwordPolicy']).toEqual({ minLength: 15, maxLength: 64 });

    const without = await api.post('/api/v1/auth/reset-password', {
      token,
      newPassword: NEW_PASSWORD,
    });
    expect(without.status).toBe(400);
    expect(without.body['code']).toBe('SECOND_FACTOR_REQUIRED');
    const wrong = await api.post('/api/v1/auth/reset-password', {
      token,
      newPassword: NEW_PASSWORD,
      secondFactor: { code: authenticator.wrongCode() },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body['code']).toBe('MFA_CODE_INVALID');
    expect((await api.post('/api/v1/auth/reset-password/validate', { token })).status).toBe(200);

    const reset = await api.post('/api/v1/auth/reset-password', {
      token,
      newPassword: NEW_PASSWORD,
      secondFactor: { code: await authenticator.nextCode() },
    });
    expect(reset.status).toBe(200);
    // The factor stays: signing in with the new password still asks for it.
    expect((await steps.signIn(email, NEW_PASSWORD))['mfaRequired']).toBe(true);
    // The challenge the old password opened does not finish, even with a good code.
    const stale = await api.post('/api/v1/auth/login/mfa', {
      challengeToken: before,
      code: await authenticator.nextCode(),
    });
    expect(stale.body['code']).toBe('CHALLENGE_INVALID');
  });

  it('should revoke the link after five wrong codes, even sent at once, and tell the person', async () => {
    const email = 'reset-guess@example.com';
    const { authenticator } = await enrolled(email);
    const token = await steps.requestLink(email);
    const after = mail.mark();
    const body = {
      token,
      newPassword: NEW_PASSWORD,
      secondFactor: { code: authenticator.wrongCode() },
    };
    const answers = await sendSimultaneously(
      api.baseUrl,
      Array.from({ length: 20 }, () => ({
        method: 'POST' as const,
        path: '/api/v1/auth/reset-password',
        body,
      })),
    );
    const codes = answers.map((a) => a.body?.['code']);
    expect(codes.filter((c) => c === 'MFA_CODE_INVALID')).toHaveLength(5);
    expect(codes.filter((c) => c === 'TOKEN_INVALID')).toHaveLength(15);

    const right = await api.post('/api/v1/auth/reset-password', {
      token,
      newPassword: NEW_PASSWORD,
      secondFactor: { code: await authenticator.nextCode() },
    });
    expect(right.body['code']).toBe('TOKEN_INVALID');
    const notice = await mail.waitFor(email, {
      after,
      predicate: (m) => m.subject.includes('stopped'),
    });
    expect(notice.text).toContain('five wrong codes');
    // Nothing else changed: the old password still signs in (with the factor).
    expect((await steps.signIn(email, PASSWORD))['mfaRequired']).toBe(true);
  });

  it('should reset with a recovery code, which then works no more', async () => {
    const email = 'reset-recovery@example.com';
    const { recoveryCodes } = await enrolled(email);
    const code = recoveryCodes[3] as string;
    const first = await steps.requestLink(email);
    const reset = await api.post('/api/v1/auth/reset-password', {
      token: first,
      newPassword: NEW_PASSWORD,
      secondFactor: { code },
    });
    expect(reset.status).toBe(200);
    const second = await steps.requestLink(email);
    const reused = await api.post('/api/v1/auth/reset-password', {
      token: second,
      newPassword: PASSWORD,
      secondFactor: { code },
    });
    expect(reused.body['code']).toBe('MFA_CODE_INVALID');
  });

  it('should let the help desk remove a lost factor with mfa:write only', async () => {
    const email = 'helpdesk-mfa@example.com';
    await enrolled(email);
    const [{ id }] = await api.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [
      email,
    ]);
    const readOnlyKey = 'arsk_e2e-read-only-key-0123456789';
    await api.query(
      `INSERT INTO service_clients (name, key_hash, scopes) VALUES ('e2e-reader', $1, $2)`,
      [createHash('sha256').update(readOnlyKey).digest('hex'), ['users:read']],
    );
    const forbidden = await api.request('DELETE', `/api/v1/users/${id}/mfa`, undefined, {
      'x-api-key': readOnlyKey,
    });
    expect(forbidden.status).toBe(403);
    const missing = await api.request(
      'DELETE',
      '/api/v1/users/00000000-0000-4000-8000-000000000000/mfa',
      undefined,
      { 'x-api-key': API_KEY },
    );
    expect(missing.status).toBe(404);

    const removed = await api.request('DELETE', `/api/v1/users/${id}/mfa`, undefined, {
      'x-api-key': API_KEY,
    });
    expect(removed.status).toBe(204);
    expect((await steps.signIn(email, PASSWORD))['accessToken']).toEqual(expect.any(String));
    await mail.waitFor(email, { predicate: (m) => m.subject.includes('help desk removed') });
    const hook = await hooks.waitFor((d) => d.payload?.type === 'user.mfa_reset');
    expect(hook.payload?.data).toEqual({ userId: id, email });
    await hooks.waitFor(
      (d) => d.payload?.type === 'user.mfa_enabled' && d.payload.data?.['userId'] === id,
    );
  });

  it('should ask for a recent sign-in before adding an authenticator', async () => {
    const email = 'reauth@example.com';
    const id = await steps.createUserWithPassword(email, PASSWORD);
    const old = signJwt({ sub: id, sv: Date.now(), iat: Math.floor(Date.now() / 1000) - 11 * 60 });
    const refused = await api.post('/api/v1/auth/mfa/totp', undefined, {
      authorization: `Bearer ${old}`,
    });
    expect(refused.status).toBe(401);
    expect(refused.body['code']).toBe('REAUTH_REQUIRED');
  });

  it('should exchange the emailed code for a reset token on a second device', async () => {
    const email = 'code-path@example.com';
    await steps.createUserWithPassword(email, PASSWORD);
    const resetMail = await steps.requestResetMail(email);
    const code = resetCodeFromMail(resetMail);
    const link = tokenFromMail(resetMail, PORTAL_URL);

    const wrongCode = String((Number(code) + 1) % 1e8).padStart(8, '0');
    const wrong = await api.post('/api/v1/auth/reset-password/code', { email, code: wrongCode });
    const unknown = await api.post('/api/v1/auth/reset-password/code', {
      email: 'nobody-code@example.com',
      code,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body['code']).toBe('CODE_INVALID');
    expect(unknown.text).toBe(wrong.text);

    // The second device: another client, with the address typed again.
    const redeemed = await api.post('/api/v1/auth/reset-password/code', {
      email: ` ${email.toUpperCase()} `,
      code: `${code.slice(0, 4)} ${code.slice(4)}`,
    });
    expect(redeemed.status).toBe(200);
    const token = redeemed.body['token'] as string;
    expect(
      (await api.post('/api/v1/auth/reset-password/validate', { token: link })).body['code'],
    ).toBe('TOKEN_INVALID');
    const again = await api.post('/api/v1/auth/reset-password/code', { email, code });
    expect(again.body['code']).toBe('CODE_INVALID');
    const reset = await api.post('/api/v1/auth/reset-password', {
      token,
      newPassword: NEW_PASSWORD,
    });
    expect(reset.status).toBe(200);
    expect((await steps.signIn(email, NEW_PASSWORD))['accessToken']).toEqual(expect.any(String));
  });

  it('should kill a code after five wrong tries, however sent, and leave its link working', async () => {
    const email = 'code-guess@example.com';
    await steps.createUserWithPassword(email, PASSWORD);
    const resetMail = await steps.requestResetMail(email);
    const code = resetCodeFromMail(resetMail);
    const wrongs = Array.from({ length: 20 }, (_, i) =>
      String((Number(code) + 1 + i) % 1e8).padStart(8, '0'),
    );
    const answers = await sendSimultaneously(
      api.baseUrl,
      wrongs.map((wrongCode) => ({
        method: 'POST' as const,
        path: '/api/v1/auth/reset-password/code',
        body: { email, code: wrongCode },
      })),
    );
    expect(answers.every((a) => a.body?.['code'] === 'CODE_INVALID')).toBe(true);
    const [row] = await api.query<{ code_attempts: number }>(
      `SELECT t.code_attempts FROM password_reset_tokens t JOIN users u ON u.id = t.user_id
        WHERE u.email = $1 AND t.used_at IS NULL AND t.revoked_at IS NULL`,
      [email],
    );
    expect(row?.code_attempts).toBe(5);
    const right = await api.post('/api/v1/auth/reset-password/code', { email, code });
    expect(right.body['code']).toBe('CODE_INVALID');
    const link = tokenFromMail(resetMail, PORTAL_URL);
    expect((await api.post('/api/v1/auth/reset-password/validate', { token: link })).status).toBe(
      200,
    );
  });
});

/** An HS256 access token signed as the API signs them, with a chosen issue time. */
function signJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })}`;
  const signature = createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}
