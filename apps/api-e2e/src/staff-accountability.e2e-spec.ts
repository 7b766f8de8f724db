import { ApiProcess, MailCatcher } from '@account-recovery/testing';

import { insertKey } from './support/event-rows';
import { SecondFactorSteps } from './support/second-factor';

const API_KEY = 'e2e-service-key-accountability-0123';
const PASSWORD = 'amber lantern over the quiet harbour';
const WRONG_PASSWORD = 'granite owl guesses badly again';
const USERS = '/api/v1/users';
const ME = '/api/v1/auth/me';

interface EventRow {
  type: string;
  user_id: string | null;
  actor: string;
  details: Record<string, unknown>;
}

/**
 * What the help desk sees of a person and what it leaves behind (docs/architecture.md §10,
 * §11): throttle states as the admitting statements count them, sessions ended on request,
 * every staff action and every role change in the trail with who did it.
 */
describe('staff accountability', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;
  const steps = new SecondFactorSteps(() => api, mail, API_KEY);
  let desk: { id: string; auth: Record<string, string> };
  let staffActor = '';

  beforeAll(async () => {
    await mail.start();
    const budget = '1000';
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      RATE_LIMIT_FORGOT_PER_MINUTE: budget,
      RATE_LIMIT_RESET_PER_MINUTE: budget,
      RATE_LIMIT_LOGIN_PER_MINUTE: budget,
      RATE_LIMIT_CODE_PER_MINUTE: budget,
    });
    const email = 'desk@example.com';
    const id = await steps.createUserWithPassword(email, PASSWORD);
    await steps.grant(email, 'helpdesk');
    const { authenticator } = await steps.enrol(await steps.bearer(email, PASSWORD));
    desk = { id, auth: await steps.signInWithFactor(email, PASSWORD, authenticator) };
    staffActor = `staff:${id}`;
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  const events = (userId: string, ...types: string[]) =>
    api.query<EventRow>(
      `SELECT type, user_id, actor, details FROM security_events
        WHERE user_id = $1 AND type = ANY ($2::text[]) ORDER BY id`,
      [userId, types],
    );

  /** Repeats a failing attempt until the database has counted `failures` (waits between them). */
  async function failUntil(
    failures: number,
    counted: () => Promise<number>,
    attempt: () => Promise<unknown>,
  ): Promise<void> {
    const deadline = Date.now() + 30_000;
    while ((await counted()) < failures) {
      if (Date.now() > deadline) throw new Error(`still ${await counted()} failures`);
      const before = await counted();
      await attempt();
      if ((await counted()) === before) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('should show a sign-in throttle and lock as the sign-in counts them', async () => {
    const email = 'forgetful@example.com';
    const id = await steps.createUserWithPassword(email, PASSWORD);
    const counted = async () =>
      (
        await api.query<{ n: number }>(`SELECT failed_login_count AS n FROM users WHERE id = $1`, [
          id,
        ])
      )[0].n;
    // Seven failures: the sixth and seventh each wait for the one before (1 s, then 2 s).
    await failUntil(7, counted, () =>
      api.post('/api/v1/auth/login', { email, password: WRONG_PASSWORD }),
    );
    const read = await api.get(`${USERS}/${id}`, desk.auth);
    expect(read.status).toBe(200);
    const [{ last }] = await api.query<{ last: Date }>(
      `SELECT last_failed_login_at AS last FROM users WHERE id = $1`,
      [id],
    );
    expect(read.body['lockout']).toEqual({
      signIn: { state: 'throttled', failures: 7, until: expect.any(String) },
      secondFactor: { state: 'ok', failures: 0, until: null },
    });
    const until = (read.body['lockout'] as { signIn: { until: string } }).signIn.until;
    expect(Math.abs(new Date(until).getTime() - (last.getTime() + 4000))).toBeLessThanOrEqual(1);

    await api.query(
      `UPDATE users SET last_failed_login_at = now() - interval '5 seconds' WHERE id = $1`,
      [id],
    );
    expect((await api.get(`${USERS}/${id}`, desk.auth)).body['lockout']).toMatchObject({
      signIn: { state: 'ok', failures: 7, until: null },
    });
    await api.query(`UPDATE users SET failed_login_count = 100 WHERE id = $1`, [id]);
    expect((await api.get(`${USERS}/${id}`, desk.auth)).body['lockout']).toMatchObject({
      signIn: { state: 'locked', failures: 100, until: null },
    });
  });

  it('should show a second-factor throttle, and no factor once the help desk removed it', async () => {
    const email = 'fumbling@example.com';
    const id = await steps.createUserWithPassword(email, PASSWORD);
    const auth = await steps.bearer(email, PASSWORD);
    const { authenticator } = await steps.enrol(auth);
    const counted = async () =>
      (
        await api.query<{ n: number }>(
          `SELECT failed_attempts AS n FROM mfa_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL`,
          [id],
        )
      )[0].n;
    await failUntil(7, counted, () =>
      api.request('DELETE', '/api/v1/auth/mfa', { code: authenticator.wrongCode() }, auth),
    );
    const read = await api.get(`${USERS}/${id}`, desk.auth);
    expect(read.body).toMatchObject({
      hasSecondFactor: true,
      lockout: {
        signIn: { state: 'ok', failures: 0, until: null },
        secondFactor: { state: 'throttled', failures: 7, until: expect.any(String) },
      },
    });

    const reset = await api.request('DELETE', `${USERS}/${id}/mfa`, undefined, desk.auth);
    expect(reset.status).toBe(204);
    expect((await api.get(`${USERS}/${id}`, desk.auth)).body).toMatchObject({
      hasSecondFactor: false,
      lockout: { secondFactor: { state: 'ok', failures: 0, until: null } },
    });
    expect(await events(id, 'mfa.reset')).toEqual([
      { type: 'mfa.reset', user_id: id, actor: staffActor, details: {} },
    ]);
  });

  it("should end a person's sessions for the help desk, recorded with the staff member", async () => {
    const email = 'stolen.laptop@example.com';
    const id = await steps.createUserWithPassword(email, PASSWORD);
    const old = await steps.bearer(email, PASSWORD);
    expect((await api.get(ME, old)).status).toBe(200);

    const revoked = await api.post(`${USERS}/${id}/sessions/revoke`, undefined, desk.auth);
    expect(revoked.status).toBe(204);
    expect(revoked.text).toBe('');
    const refused = await api.get(ME, old);
    expect(refused.status).toBe(401);
    expect(refused.body['code']).toBe('UNAUTHORIZED');
    expect(await events(id, 'sessions.revoked')).toEqual([
      { type: 'sessions.revoked', user_id: id, actor: staffActor, details: {} },
    ]);
    const read = await api.get(`${USERS}/${id}`, desk.auth);
    const revokedAt = new Date(read.body['sessionsRevokedAt'] as string).getTime();
    expect(Math.abs(revokedAt - Date.now())).toBeLessThan(60_000);
    // The person signs in again as usual.
    expect((await api.get(ME, await steps.bearer(email, PASSWORD))).status).toBe(200);

    for (const unknown of ['0b6f6f3e-3c1a-4c55-9a39-2b0e2b9f0c11', 'not-a-uuid']) {
      const missing = await api.post(`${USERS}/${unknown}/sessions/revoke`, undefined, desk.auth);
      expect({ status: missing.status, code: missing.body['code'] }).toEqual({
        status: 404,
        code: 'NOT_FOUND',
      });
    }
  });

  it('should record every staff action on the users endpoints with the staff actor', async () => {
    const email = 'helped@example.com';
    const id = await steps.createUserWithPassword(email, PASSWORD);
    const forced = await api.post(
      `${USERS}/${id}/password-reset`,
      { revokeSessions: true },
      desk.auth,
    );
    expect(forced.status).toBe(202);

    await steps.grant('desk@example.com', 'admin');
    const created = await api.post(USERS, { email: 'by.staff@example.com' }, desk.auth);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      roles: [],
      hasSecondFactor: false,
      sessionsRevokedAt: null,
    });
    const newId = created.body['id'] as string;
    const patched = await api.request(
      'PATCH',
      `${USERS}/${newId}`,
      { displayName: 'Named' },
      desk.auth,
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ displayName: 'Named', lockout: expect.any(Object) });
    const removed = await api.request('DELETE', `${USERS}/${newId}`, undefined, desk.auth);
    expect(removed.status).toBe(204);
    await steps.grant('desk@example.com', 'admin', '--revoke');

    const summary = async (userId: string, ...types: string[]) =>
      (await events(userId, ...types)).map((row) => [row.type, row.actor]);
    expect(await summary(id, 'reset.forced', 'sessions.revoked')).toEqual([
      ['sessions.revoked', staffActor],
      ['reset.forced', staffActor],
    ]);
    expect(await summary(newId, 'user.created', 'user.changed', 'user.deleted')).toEqual([
      ['user.created', staffActor],
      ['user.changed', staffActor],
      ['user.deleted', staffActor],
    ]);
  });

  it('should keep the help desk to its scopes, and a key to its own', async () => {
    const id = await steps.createUser('bystander@example.com');
    for (const [method, path, body] of [
      ['POST', USERS, { email: 'by.desk@example.com' }],
      ['PATCH', `${USERS}/${id}`, { displayName: 'x' }],
      ['DELETE', `${USERS}/${id}`, undefined],
    ] as const) {
      const refused = await api.request(method, path, body, desk.auth);
      expect({ method, status: refused.status, code: refused.body['code'] }).toEqual({
        method,
        status: 403,
        code: 'FORBIDDEN',
      });
    }
    const reader = { 'x-api-key': await insertKey(api, 'reader', ['users:read']) };
    expect((await api.get(`${USERS}/${id}`, reader)).status).toBe(200);
    const refused = await api.post(`${USERS}/${id}/sessions/revoke`, undefined, reader);
    expect({ status: refused.status, code: refused.body['code'] }).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await events(id, 'sessions.revoked')).toEqual([]);
  });

  it('should record each role change once, by the system, with the role', async () => {
    const email = 'role.holder@example.com';
    const id = await steps.createUser(email);
    expect(await steps.grant(email, 'helpdesk')).toContain('Granted helpdesk');
    expect(await steps.grant(email, 'helpdesk')).toContain('already has helpdesk');
    expect(await steps.grant(email, 'admin')).toContain('Granted admin');
    expect(await steps.grant(email, 'admin', '--revoke')).toContain('Revoked admin');
    expect(await steps.grant(email, 'admin', '--revoke')).toContain('does not have admin');
    const role = (type: string, name: string) => ({
      type,
      user_id: id,
      actor: 'system',
      details: { role: name },
    });
    expect(await events(id, 'user.role_granted', 'user.role_revoked')).toEqual([
      role('user.role_granted', 'helpdesk'),
      role('user.role_granted', 'admin'),
      role('user.role_revoked', 'admin'),
    ]);
    const [{ roles }] = await api.query<{ roles: string[] }>(
      `SELECT roles FROM users WHERE id = $1`,
      [id],
    );
    expect(roles).toEqual(['helpdesk']);
  });
});
