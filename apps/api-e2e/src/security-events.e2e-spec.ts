import {
  ApiProcess,
  MailCatcher,
  PORTAL_URL,
  TestAuthenticator,
  tokenFromMail,
} from '@account-recovery/testing';

import { isInvitation, isResetMail } from './support/mail-wait';
import { resetCodeFromMail } from './support/second-factor';
import { API_KEY_HEADER, ROUTES } from './support/service-api';

const API_KEY = 'security-events-service-key-7c1d4e';
const SERVICE = 'service:env'; // the name of a key from SERVICE_API_KEYS
const PASSWORD = 'copper kettle hums at dawn';
const NEXT_PASSWORD = 'violet tram crosses the bridge';
const WRONG_PASSWORD = 'granite owl guesses badly';
const WEAK_PASSWORD = 'tiny pw 7';
const MFA = '/api/v1/auth/mfa';

interface Row {
  id: string;
  type: string;
  user_id: string | null;
  actor: string;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
}

/**
 * The audit trail (docs/architecture.md §10): each flow leaves exactly its events, with
 * who did it and from where, and nothing secret; the table takes no UPDATE or DELETE.
 * Each flow comes from its own forwarded address (TRUST_PROXY), so `ip` is checked exactly.
 */
describe('security events', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;
  const secrets: Record<string, string> = { API_KEY, PASSWORD, NEXT_PASSWORD, WRONG_PASSWORD };
  let userId = '';
  let mark = '0';
  const email = 'trail.person@example.com';

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      TRUST_PROXY: '127.0.0.1',
    });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  const from = (ip: string, more: Record<string, string> = {}) => ({
    'x-forwarded-for': ip,
    ...more,
  });
  const service = (ip: string) => from(ip, { [API_KEY_HEADER]: API_KEY });

  /** The events after the last `take`, once there are `count` of them (some come from the worker). */
  async function take(count: number): Promise<Row[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const rows = await api.query<Row>(
        `SELECT id::text, type, user_id, actor, host(ip) AS ip, user_agent, details
           FROM security_events WHERE id > $1 ORDER BY id`,
        [mark],
      );
      if (rows.length >= count || Date.now() > deadline) {
        // Anything late would belong to this flow too: a moment more to see it.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const settled = await api.query<Row>(
          `SELECT id::text, type, user_id, actor, host(ip) AS ip, user_agent, details
             FROM security_events WHERE id > $1 ORDER BY id`,
          [mark],
        );
        if (settled.length > 0) mark = settled[settled.length - 1].id;
        return settled;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const summary = (rows: Row[]) =>
    rows.map((row) => [row.type, row.actor, row.user_id, row.ip] as const).sort();

  it('should record a user created by a service, and the invitation sent', async () => {
    const created = await api.post(
      ROUTES.users,
      { email, displayName: 'Trail' },
      service('198.51.100.1'),
    );
    expect(created.status).toBe(201);
    userId = created.body['id'] as string;
    const invitation = await mail.waitFor(email, { predicate: isInvitation });
    secrets['inviteToken'] = tokenFromMail(invitation, PORTAL_URL);
    const rows = await take(2);
    expect(summary(rows)).toEqual([
      ['reset.email_sent', 'system', userId, null],
      ['user.created', SERVICE, userId, '198.51.100.1'],
    ]);
    expect(rows.find((row) => row.type === 'user.created')?.user_agent).toEqual(expect.any(String));
    expect(rows.find((row) => row.type === 'reset.email_sent')?.details).toEqual({
      purpose: 'invite',
    });
  });

  it('should record the link validated and the reset completed', async () => {
    const token = secrets['inviteToken'];
    expect((await api.post(ROUTES.validate, { token }, from('198.51.100.2'))).status).toBe(200);
    const reset = await api.post(
      ROUTES.reset,
      { token, newPassword: PASSWORD },
      from('198.51.100.2'),
    );
    expect(reset.status).toBe(200);
    expect(summary(await take(2))).toEqual([
      ['reset.completed', 'self', userId, '198.51.100.2'],
      ['reset.link_validated', 'self', userId, '198.51.100.2'],
    ]);
  });

  it('should record a forgot-password for a known address, its email, a refused and a completed reset', async () => {
    const after = mail.mark();
    expect((await api.post(ROUTES.forgot, { email }, from('198.51.100.3'))).status).toBe(202);
    const resetMail = await mail.waitFor(email, { after, predicate: isResetMail });
    const token = tokenFromMail(resetMail, PORTAL_URL);
    secrets['resetToken'] = token;
    secrets['resetCode'] = resetCodeFromMail(resetMail);
    expect(summary(await take(2))).toEqual([
      ['reset.email_sent', 'system', userId, null],
      ['reset.requested', 'self', userId, '198.51.100.3'],
    ]);
    const weak = await api.post(
      ROUTES.reset,
      { token, newPassword: WEAK_PASSWORD },
      from('198.51.100.4'),
    );
    expect(weak.body['code']).toBe('PASSWORD_POLICY');
    const bogus = await api.post(
      ROUTES.reset,
      { token: 'x'.repeat(43), newPassword: NEXT_PASSWORD },
      from('198.51.100.4'),
    );
    expect(bogus.status).toBe(400);
    const ok = await api.post(
      ROUTES.reset,
      { token, newPassword: NEXT_PASSWORD },
      from('198.51.100.4'),
    );
    expect(ok.status).toBe(200);
    const rows = await take(3);
    expect(summary(rows)).toEqual([
      ['reset.completed', 'self', userId, '198.51.100.4'],
      ['reset.failed', 'self', null, '198.51.100.4'],
      ['reset.failed', 'self', userId, '198.51.100.4'],
    ]);
    expect(rows.filter((r) => r.type === 'reset.failed').map((r) => r.details['code'])).toEqual([
      'PASSWORD_POLICY',
      bogus.body['code'],
    ]);
  });

  it('should count a forgot-password for an unknown address without storing it', async () => {
    const unknown = 'nobody.here@example.com';
    expect((await api.post(ROUTES.forgot, { email: unknown }, from('198.51.100.5'))).status).toBe(
      202,
    );
    const rows = await take(1);
    expect(summary(rows)).toEqual([['reset.requested_unknown', 'self', null, '198.51.100.5']]);
    expect(rows[0].details).toEqual({ count: 1 });
    secrets['unknownAddress'] = unknown;
  });

  it('should record failed sign-ins alike for an account and, without a user, for an unknown address', async () => {
    const ip = '198.51.100.6';
    const unknown = await api.post(
      ROUTES.login,
      { email: 'ghost@example.com', password: WRONG_PASSWORD },
      from(ip),
    );
    expect(unknown.status).toBe(401);
    const wrong = await api.post(ROUTES.login, { email, password: WRONG_PASSWORD }, from(ip));
    expect(wrong.status).toBe(401);
    const ok = await api.post(ROUTES.login, { email, password: NEXT_PASSWORD }, from(ip));
    expect(ok.status).toBe(200);
    secrets['accessToken'] = ok.body['accessToken'] as string;
    const rows = await take(3);
    expect(summary(rows)).toEqual([
      ['signin.failed', 'self', null, ip],
      ['signin.failed', 'self', userId, ip],
      ['signin.succeeded', 'self', userId, ip],
    ]);
    // The same write follows either refusal: the work after the answer tells nothing.
    expect(rows.filter((r) => r.type === 'signin.failed').map((r) => r.details)).toEqual([
      { failures: null },
      { failures: 1 },
    ]);
  });

  it('should record a second factor enrolled, a wrong code, a recovery code used and the factor removed', async () => {
    const ip = '198.51.100.7';
    const auth = from(ip, { authorization: `Bearer ${secrets['accessToken']}` });
    const started = await api.post(`${MFA}/totp`, undefined, auth);
    expect(started.status).toBe(200);
    secrets['totpSecret'] = started.body['secret'] as string;
    const authenticator = new TestAuthenticator(secrets['totpSecret']);
    // Six digits are too short a needle for the scan below (timestamps hold six-digit runs).
    const code = await authenticator.nextCode();
    const confirmed = await api.post(`${MFA}/totp/confirm`, { code }, auth);
    expect(confirmed.status).toBe(200);
    const recoveryCodes = confirmed.body['recoveryCodes'] as string[];
    recoveryCodes.forEach((c, i) => (secrets[`recovery${i}`] = c));
    expect(summary(await take(1))).toEqual([['mfa.enabled', 'self', userId, ip]]);

    const wrong = await api.request('DELETE', MFA, { code: authenticator.wrongCode() }, auth);
    expect(wrong.status).toBe(400);
    const removed = await api.request('DELETE', MFA, { code: recoveryCodes[0] }, auth);
    expect(removed.status).toBe(204);
    const rows = await take(3);
    expect(summary(rows)).toEqual([
      ['mfa.disabled', 'self', userId, ip],
      ['mfa.failed', 'self', userId, ip],
      ['mfa.recovery_code_used', 'self', userId, ip],
    ]);
  });

  it('should record a help-desk reset with sessions ended, as the service, and its email', async () => {
    const ip = '198.51.100.8';
    const after = mail.mark();
    const forced = await api.post(
      `${ROUTES.users}/${userId}/password-reset`,
      { revokeSessions: true },
      service(ip),
    );
    expect(forced.status).toBe(202);
    const rows = await take(3);
    expect(summary(rows)).toEqual([
      ['reset.email_sent', 'system', userId, null],
      ['reset.forced', SERVICE, userId, ip],
      ['sessions.revoked', SERVICE, userId, ip],
    ]);
    const forcedMail = await mail.waitFor(email, { after, predicate: isResetMail });
    secrets['forcedToken'] = tokenFromMail(forcedMail, PORTAL_URL);
    secrets['forcedCode'] = resetCodeFromMail(forcedMail);
    // The stored hashes, while the account (and so its rows) still exists.
    const hashes = await api.query<{ h: string }>(
      `SELECT token_hash AS h FROM password_reset_tokens WHERE user_id = $1
       UNION ALL SELECT code_hash FROM password_reset_tokens WHERE user_id = $1 AND code_hash IS NOT NULL
       UNION ALL SELECT code_hash FROM recovery_codes WHERE user_id = $1
       UNION ALL SELECT password_hash FROM users WHERE id = $1`,
      [userId],
    );
    hashes.forEach((row, i) => (secrets[`hash${i}`] = row.h));
  });

  it('should record a user changed and deleted by a service, naming fields, not values', async () => {
    const ip = '198.51.100.9';
    const changed = await api.request(
      'PATCH',
      `${ROUTES.users}/${userId}`,
      { displayName: 'Renamed' },
      service(ip),
    );
    expect(changed.status).toBe(200);
    const deleted = await api.request(
      'DELETE',
      `${ROUTES.users}/${userId}`,
      undefined,
      service(ip),
    );
    expect(deleted.status).toBe(204);
    const rows = await take(2);
    expect(summary(rows)).toEqual([
      ['user.changed', SERVICE, userId, ip],
      ['user.deleted', SERVICE, userId, ip],
    ]);
    expect(rows.find((r) => r.type === 'user.changed')?.details).toEqual({
      email: false,
      displayName: true,
      locale: false,
    });
  });

  it('should hold no token, code, password, secret, hash or unknown address in any column', async () => {
    const rows = await api.query<{ line: string }>(
      `SELECT row_to_json(e)::text AS line FROM security_events e`,
    );
    expect(rows.length).toBeGreaterThan(15);
    expect(Object.keys(secrets).filter((name) => name.startsWith('hash')).length).toBeGreaterThan(
      3,
    );
    const leaks = Object.entries(secrets).flatMap(([name, secret]) =>
      rows
        .filter((row) => secret && row.line.includes(secret))
        .map((row) => `${name}: ${row.line}`),
    );
    expect(leaks).toEqual([]);
  });

  it('should refuse UPDATE and DELETE, even of one row', async () => {
    await expect(
      api.query(`UPDATE security_events SET actor = 'self' WHERE id = 1`),
    ).rejects.toThrow(/append-only/);
    await expect(api.query(`DELETE FROM security_events WHERE id = 1`)).rejects.toThrow(
      /append-only/,
    );
    const [{ n }] = await api.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM security_events`,
    );
    expect(n).toBeGreaterThan(15);
  });
});
