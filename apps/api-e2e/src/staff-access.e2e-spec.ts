import { createHmac } from 'node:crypto';

import { ApiProcess, MailCatcher, TestAuthenticator } from '@account-recovery/testing';

import { SecondFactorSteps } from './support/second-factor';

const API_KEY = 'e2e-service-key-staff-0123456789';
const JWT_SECRET = 'e2e-jwt-secret-for-staff-0123456789abcdef';
const PASSWORD = 'amber lantern over the quiet harbour';
const NEW_PASSWORD = 'copper kettles hum in winter';
const USERS = '/api/v1/users';

interface Person {
  id: string;
  email: string;
  /** A session opened with the password alone (before the factor, when there is one). */
  passwordOnly: Record<string, string>;
  /** A session opened with the password and the factor; absent without a factor. */
  auth: Record<string, string>;
  authenticator: TestAuthenticator | null;
}

/**
 * Staff sessions on the service API (docs/architecture.md §11): roles from the CLI only, the scopes of
 * the role-to-scope map, a second factor required and shown at sign-in.
 */
describe('staff access to the service API', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;
  const steps = new SecondFactorSteps(() => api, mail, API_KEY);

  beforeAll(async () => {
    await mail.start();
    // Every person here signs in twice and enrols from one address: per-IP budgets aside.
    const budget = '1000';
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      JWT_SECRET,
      RATE_LIMIT_FORGOT_PER_MINUTE: budget,
      RATE_LIMIT_RESET_PER_MINUTE: budget,
      RATE_LIMIT_LOGIN_PER_MINUTE: budget,
      RATE_LIMIT_CODE_PER_MINUTE: budget,
    });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  /** A person with a password, maybe a role, and maybe a factor they signed in with. */
  async function person(email: string, role: string | null, factor = true): Promise<Person> {
    const id = await steps.createUserWithPassword(email, PASSWORD);
    if (role) await steps.grant(email, role);
    const passwordOnly = await steps.bearer(email, PASSWORD);
    if (!factor) return { id, email, passwordOnly, auth: passwordOnly, authenticator: null };
    const { authenticator } = await steps.enrol(passwordOnly);
    return {
      id,
      email,
      passwordOnly,
      auth: await steps.signInWithFactor(email, PASSWORD, authenticator),
      authenticator,
    };
  }

  it('should let the help desk find a person, send a link and reset their factor, and nothing more', async () => {
    const desk = await person('desk@example.com', 'helpdesk');
    const target = await person('locked.out@example.com', null);

    const me = await api.get('/api/v1/auth/me', desk.auth);
    expect(me.body['roles']).toEqual(['helpdesk']);

    const found = await api.get(`${USERS}?email=Locked.Out@example.com`, desk.auth);
    expect(found.status).toBe(200);
    expect(found.body).toEqual([expect.objectContaining({ id: target.id, email: target.email })]);
    const sent = mail.mark();
    const reset = await api.post(`${USERS}/${target.id}/password-reset`, {}, desk.auth);
    expect(reset.status).toBe(202);
    await mail.waitFor(target.email, { after: sent });
    const mfa = await api.request('DELETE', `${USERS}/${target.id}/mfa`, undefined, desk.auth);
    expect(mfa.status).toBe(204);
    expect((await api.get('/api/v1/auth/me', target.auth)).body['mfa']).toEqual({
      totp: false,
      recoveryCodesLeft: 0,
    });

    // users:write is not the help desk's: no accounts created, renamed or deleted.
    const create = await api.post(USERS, { email: 'by.desk@example.com' }, desk.auth);
    expect(create.status).toBe(403);
    expect(create.body['code']).toBe('FORBIDDEN');
    const patch = await api.request(
      'PATCH',
      `${USERS}/${target.id}`,
      { displayName: 'x' },
      desk.auth,
    );
    expect(patch.status).toBe(403);
    const remove = await api.request('DELETE', `${USERS}/${target.id}`, undefined, desk.auth);
    expect(remove.status).toBe(403);
  });

  it('should let an admin do what any key may, and still not grant roles over HTTP', async () => {
    const admin = await person('admin@example.com', 'admin');
    const create = await api.post(USERS, { email: 'by.admin@example.com' }, admin.auth);
    expect(create.status).toBe(201);
    const id = create.body['id'] as string;

    // Roles come from the operator CLI only: the body of a change refuses the field.
    const escalate = await api.request('PATCH', `${USERS}/${id}`, { roles: ['admin'] }, admin.auth);
    expect(escalate.status).toBe(400);
    expect(escalate.body['code']).toBe('VALIDATION_FAILED');
    expect(escalate.body['errors']).toHaveProperty('roles');
    expect(await api.query(`SELECT roles FROM users WHERE id = $1`, [id])).toEqual([{ roles: [] }]);
  });

  it('should send staff without a factor to enrol, on every staff route', async () => {
    const newcomer = await person('newcomer@example.com', 'admin', false);
    for (const [method, path, body] of [
      ['GET', `${USERS}?email=desk@example.com`, undefined],
      ['POST', USERS, { email: 'by.newcomer@example.com' }],
      ['POST', `${USERS}/${newcomer.id}/password-reset`, {}],
    ] as const) {
      const refused = await api.request(method, path, body, newcomer.auth);
      expect({ path, status: refused.status, code: refused.body['code'] }).toEqual({
        path,
        status: 403,
        code: 'MFA_ENROLLMENT_REQUIRED',
      });
    }
  });

  it('should refuse a session opened with the password alone, even once a factor exists', async () => {
    const late = await person('late.enrolment@example.com', 'helpdesk');
    const refused = await api.get(`${USERS}?email=${late.email}`, late.passwordOnly);
    expect(refused.status).toBe(401);
    expect(refused.body['code']).toBe('REAUTH_REQUIRED');
    // A token from before the amr claim existed counts as password-only too.
    const legacy = signJwt({ sub: late.id, sv: Date.now(), iat: Math.floor(Date.now() / 1000) });
    const old = await api.get(`${USERS}?email=${late.email}`, {
      authorization: `Bearer ${legacy}`,
    });
    expect(old.status).toBe(401);
    expect(old.body['code']).toBe('REAUTH_REQUIRED');
    expect((await api.get(`${USERS}?email=${late.email}`, late.auth)).status).toBe(200);
  });

  it('should refuse a person without a role, and a caller without anything', async () => {
    const plain = await person('no.role@example.com', null);
    const refused = await api.get(`${USERS}?email=${plain.email}`, plain.auth);
    expect(refused.status).toBe(403);
    expect(refused.body['code']).toBe('FORBIDDEN');
    const nobody = await api.get(`${USERS}?email=${plain.email}`);
    expect(nobody.status).toBe(401);
    expect(nobody.body['code']).toBe('UNAUTHORIZED');
  });

  it('should end staff access when the role is revoked or the password is reset', async () => {
    const desk = await person('desk.two@example.com', 'helpdesk');
    const path = `${USERS}?email=${desk.email}`;
    expect((await api.get(path, desk.auth)).status).toBe(200);

    await steps.grant(desk.email, 'helpdesk', '--revoke');
    expect((await api.get(path, desk.auth)).status).toBe(403);
    await steps.grant(desk.email, 'helpdesk');
    expect((await api.get(path, desk.auth)).status).toBe(200);

    const token = await steps.requestLink(desk.email);
    const reset = await api.post('/api/v1/auth/reset-password', {
      token,
      newPassword: NEW_PASSWORD,
      secondFactor: { code: await desk.authenticator?.nextCode() },
    });
    expect(reset.status).toBe(200);
    const revoked = await api.get(path, desk.auth);
    expect(revoked.status).toBe(401);
    expect(revoked.body['code']).toBe('UNAUTHORIZED');
  });
});

/** An HS256 access token signed as the API signs them, with chosen claims. */
function signJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 600;
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, exp })}`;
  const signature = createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}
