import { createHash, createHmac } from 'node:crypto';

import { ApiProcess, MailCatcher, WebhookReceiver } from '@account-recovery/testing';

import { SecondFactorSteps } from './support/second-factor';
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

    const heldBack = await steps.requestLink(email);
    const removed = await api.request('DELETE', `/api/v1/users/${id}/mfa`, undefined, {
      'x-api-key': API_KEY,
    });
    expect(removed.status).toBe(204);
    // A link the factor held back is not enough on its own now: it is revoked.
    const stale = await api.post('/api/v1/auth/reset-password/validate', { token: heldBack });
    expect(stale.body['code']).toBe('TOKEN_INVALID');
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
});

/** An HS256 access token signed as the API signs them, with a chosen issue time. */
function signJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })}`;
  const signature = createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}
