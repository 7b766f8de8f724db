import { ApiProcess, MailCatcher, TestAuthenticator } from '@account-recovery/testing';

import { SecondFactorSteps } from './support/second-factor';
import { sendSimultaneously } from './support/simultaneous-requests';

const API_KEY = 'e2e-service-key-0123456789';
const PASSWORD = 'violet tractor sings at dawn';
const RECOVERY_CODE = /^[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}$/;

describe('second factor: enrolment and sign-in', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;
  const steps = new SecondFactorSteps(() => api, mail, API_KEY);

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ SMTP_URL: mail.url, SERVICE_API_KEYS: API_KEY });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  it('should enrol an authenticator, confirm it with a code, and show ten recovery codes once', async () => {
    const email = 'enrol@example.com';
    await steps.createUserWithPassword(email, PASSWORD);
    const auth = await steps.bearer(email, PASSWORD);

    const started = await api.post('/api/v1/auth/mfa/totp', undefined, auth);
    expect(started.status).toBe(200);
    const uri = new URL(started.body['otpauthUri'] as string);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(started.body['secret']);
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(decodeURIComponent(uri.pathname)).toContain(email);

    // Not active before it is confirmed: sign-in still needs the password only.
    expect((await steps.signIn(email, PASSWORD))['accessToken']).toEqual(expect.any(String));

    const wrong = await api.post('/api/v1/auth/mfa/totp/confirm', { code: '000000' }, auth);
    expect(wrong.status).toBe(400);
    expect(wrong.body['code']).toBe('MFA_CODE_INVALID');

    const authenticator = new TestAuthenticator(started.body['secret'] as string);
    const code = await authenticator.nextCode();
    const confirmed = await api.post('/api/v1/auth/mfa/totp/confirm', { code }, auth);
    expect(confirmed.status).toBe(200);
    const codes = confirmed.body['recoveryCodes'] as string[];
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(RECOVERY_CODE);
    expect(new Set(codes).size).toBe(10);

    const me = await api.get('/api/v1/auth/me', auth);
    expect(me.body['mfa']).toEqual({ totp: true, recoveryCodesLeft: 10 });

    // The code that confirmed it was spent: replaying it is refused.
    const replay = await api.post('/api/v1/auth/mfa/recovery-codes', { code }, auth);
    expect(replay.status).toBe(400);
    expect(replay.body['code']).toBe('MFA_CODE_INVALID');

    const again = await api.post('/api/v1/auth/mfa/totp', undefined, auth);
    expect(again.status).toBe(409);
    expect(again.body['code']).toBe('MFA_ALREADY_ENROLLED');

    const notice = await mail.waitFor(email, {
      predicate: (m) => m.subject.includes('authenticator was added'),
    });
    expect(notice.text).not.toContain(started.body['secret'] as string);
    for (const c of codes) expect(notice.text).not.toContain(c);
  });

  it('should ask for the factor after a correct password only, and accept each code once', async () => {
    const email = 'signin-mfa@example.com';
    await steps.createUserWithPassword(email, PASSWORD);
    const { authenticator, recoveryCodes } = await steps.enrol(await steps.bearer(email, PASSWORD));

    const wrongPassword = await api.post('/api/v1/auth/login', { email, password: 'x'.repeat(20) });
    const unknown = await api.post('/api/v1/auth/login', {
      email: 'nobody-mfa@example.com',
      password: PASSWORD,
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknown.text).toBe(wrongPassword.text);
    expect(wrongPassword.text).not.toContain('mfa');

    const challenge = await steps.signIn(email, PASSWORD);
    expect(challenge).toEqual({
      mfaRequired: true,
      challengeToken: expect.any(String),
      methods: ['totp', 'recovery_code'],
    });
    const challengeToken = challenge['challengeToken'] as string;
    const wrong = await api.post('/api/v1/auth/login/mfa', {
      challengeToken,
      code: authenticator.wrongCode(),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body['code']).toBe('MFA_CODE_INVALID');

    const code = await authenticator.nextCode();
    const session = await api.post('/api/v1/auth/login/mfa', { challengeToken, code });
    expect(session.status).toBe(200);
    expect(session.body['tokenType']).toBe('Bearer');
    const me = await api.get('/api/v1/auth/me', {
      authorization: `Bearer ${session.body['accessToken'] as string}`,
    });
    expect(me.status).toBe(200);

    // The challenge is spent, and the code cannot open a second one.
    const reused = await api.post('/api/v1/auth/login/mfa', { challengeToken, code });
    expect(reused.status).toBe(401);
    expect(reused.body['code']).toBe('CHALLENGE_INVALID');
    const second = await steps.signIn(email, PASSWORD);
    const replay = await api.post('/api/v1/auth/login/mfa', {
      challengeToken: second['challengeToken'],
      code,
    });
    expect(replay.status).toBe(400);

    // A recovery code signs in once, typed loosely.
    const recovery = recoveryCodes[0] as string;
    const typed = ` ${recovery.toLowerCase().replace('-', ' ')} `;
    const byRecovery = await api.post('/api/v1/auth/login/mfa', {
      challengeToken: second['challengeToken'],
      code: typed,
    });
    expect(byRecovery.status).toBe(200);
    const third = await steps.signIn(email, PASSWORD);
    const spent = await api.post('/api/v1/auth/login/mfa', {
      challengeToken: third['challengeToken'],
      code: recovery,
    });
    expect(spent.status).toBe(400);
    const left = await api.get('/api/v1/auth/me', {
      authorization: `Bearer ${byRecovery.body['accessToken'] as string}`,
    });
    expect(left.body['mfa']).toEqual({ totp: true, recoveryCodesLeft: 9 });
  });

  it('should end a challenge after five wrong codes, however many arrive at once', async () => {
    const email = 'challenge-race@example.com';
    await steps.createUserWithPassword(email, PASSWORD);
    const { authenticator } = await steps.enrol(await steps.bearer(email, PASSWORD));
    const { challengeToken } = await steps.signIn(email, PASSWORD);

    const body = { challengeToken, code: authenticator.wrongCode() };
    const answers = await sendSimultaneously(
      api.baseUrl,
      Array.from({ length: 20 }, () => ({
        method: 'POST' as const,
        path: '/api/v1/auth/login/mfa',
        body,
      })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    expect(statuses.filter((s) => s === 401)).toHaveLength(15);

    const right = await api.post('/api/v1/auth/login/mfa', {
      challengeToken,
      code: await authenticator.nextCode(),
    });
    expect(right.status).toBe(401);
    expect(right.body['code']).toBe('CHALLENGE_INVALID');
  });

  it('should let a person renew recovery codes and remove the factor with a current code', async () => {
    const email = 'manage-mfa@example.com';
    await steps.createUserWithPassword(email, PASSWORD);
    const enrolAuth = await steps.bearer(email, PASSWORD);
    const { authenticator, recoveryCodes } = await steps.enrol(enrolAuth);

    const renewed = await api.post(
      '/api/v1/auth/mfa/recovery-codes',
      { code: await authenticator.nextCode() },
      enrolAuth,
    );
    expect(renewed.status).toBe(200);
    const fresh = renewed.body['recoveryCodes'] as string[];
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => recoveryCodes.includes(c))).toBe(false);

    // The old set is void: an old code is refused, a new one removes the factor.
    const old = await api.request(
      'DELETE',
      '/api/v1/auth/mfa',
      { code: recoveryCodes[1] },
      enrolAuth,
    );
    expect(old.status).toBe(400);
    const removed = await api.request('DELETE', '/api/v1/auth/mfa', { code: fresh[0] }, enrolAuth);
    expect(removed.status).toBe(204);
    expect((await steps.signIn(email, PASSWORD))['accessToken']).toEqual(expect.any(String));
    await mail.waitFor(email, { predicate: (m) => m.subject.includes('recovery codes were made') });
    await mail.waitFor(email, {
      predicate: (m) => m.subject.includes('authenticator was removed'),
    });
  });

  it("should slow guessing across challenges with 429, without spending the person's tries", async () => {
    const email = 'factor-throttle@example.com';
    await steps.createUserWithPassword(email, PASSWORD);
    const { authenticator } = await steps.enrol(await steps.bearer(email, PASSWORD));
    const first = await steps.signIn(email, PASSWORD);
    for (let i = 0; i < 5; i++) {
      const wrong = await api.post('/api/v1/auth/login/mfa', {
        challengeToken: first['challengeToken'],
        code: authenticator.wrongCode(),
      });
      expect(wrong.body['code']).toBe('MFA_CODE_INVALID');
    }
    // Five failures on the factor: the next check waits, whichever challenge it comes with.
    const second = await steps.signIn(email, PASSWORD);
    const throttled = await api.post('/api/v1/auth/login/mfa', {
      challengeToken: second['challengeToken'],
      code: authenticator.wrongCode(),
    });
    expect(throttled.status).toBe(429);
    expect(throttled.body['code']).toBe('RATE_LIMITED');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const [{ attempts }] = await api.query<{ attempts: number }>(
      `SELECT attempts FROM mfa_challenges c JOIN users u ON u.id = c.user_id
        WHERE u.email = $1 ORDER BY c.created_at DESC LIMIT 1`,
      [email],
    );
    expect(attempts).toBe(0);
    // Once the wait is over, the person's code works with the same challenge.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const session = await api.post('/api/v1/auth/login/mfa', {
      challengeToken: second['challengeToken'],
      code: await authenticator.nextCode(),
    });
    expect(session.status).toBe(200);
  });
});
