import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

import { resetCodeFromMail, SecondFactorSteps } from './support/second-factor';
import { insertUser } from './support/service-api';
import { sendSimultaneously } from './support/simultaneous-requests';

const API_KEY = 'e2e-service-key-0123456789';
const PASSWORD = 'violet tractor sings at dawn';
const NEW_PASSWORD = 'seven quiet herons over the lake';

/** A different 8-digit code: the emailed one plus `n`, wrapped. */
const otherCode = (code: string, n: number) => String((Number(code) + n) % 1e8).padStart(8, '0');

describe('code recovery (the 8-digit code of a reset email)', () => {
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

  it('should cap code tries per address over a day, not per email', async () => {
    const email = 'code-daily@example.com';
    await insertUser(api, email);
    for (let request = 0; request < 2; request++) {
      const code = resetCodeFromMail(await steps.requestResetMail(email));
      for (let n = 1; n <= 5; n++) {
        const wrong = await api.post('/api/v1/auth/reset-password/code', {
          email,
          code: otherCode(code, n),
        });
        expect(wrong.body['code']).toBe('CODE_INVALID');
      }
    }
    // Ten tries today: the third email's own code no longer opens anything...
    const third = await steps.requestResetMail(email);
    const refused = await api.post('/api/v1/auth/reset-password/code', {
      email,
      code: resetCodeFromMail(third),
    });
    expect(refused.body['code']).toBe('CODE_INVALID');
    // ...but its link does.
    const link = tokenFromMail(third, PORTAL_URL);
    expect((await api.post('/api/v1/auth/reset-password/validate', { token: link })).status).toBe(
      200,
    );
  });
});
