import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

import { runCli } from './support/cli-process';

const ENV_KEY = 'e2e-env-key-0123456789abcdef';

describe('service clients, scopes and the user lifecycle', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ SMTP_URL: mail.url, SERVICE_API_KEYS: ENV_KEY });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  const cli = (...args: string[]) =>
    runCli(args, { NODE_ENV: 'test', DATABASE_URL: api.databaseUrl });
  const as = (key: string) => ({ 'x-api-key': key });

  async function createClient(name: string, scopes: string): Promise<string> {
    const result = await cli('client:create', '--name', name, '--scopes', scopes);
    expect(result.code).toBe(0);
    const key = /arsk_[A-Za-z0-9_-]{43}/.exec(result.stdout)?.[0];
    expect(key).toBeDefined();
    return key as string;
  }

  async function createUser(email: string): Promise<string> {
    const created = await api.post('/api/v1/users', { email }, as(ENV_KEY));
    expect(created.status).toBe(201);
    await mail.waitFor(email);
    return created.body['id'] as string;
  }

  it('should store only the hash of a client key and show the key once', async () => {
    const key = await createClient('hr-onboarding', 'users:read,users:write');
    const rows = await api.query<{ row: string }>(
      `SELECT row_to_json(c)::text AS row FROM service_clients c`,
    );
    expect(rows.map((r) => r.row).join()).not.toContain(key);
    const listed = await cli('client:list');
    expect(listed.stdout).toContain('hr-onboarding');
    expect(listed.stdout).not.toContain(key);
  });

  it('should answer 401 without a valid key and 403 without the scope, on every endpoint', async () => {
    const readOnly = await createClient('reporting', 'users:read');
    const resetsOnly = await createClient('helpdesk', 'resets:write');
    const id = await createUser('scoped@example.com');
    const endpoints: { method: string; path: string; body?: unknown; scope: string }[] = [
      {
        method: 'POST',
        path: '/api/v1/users',
        body: { email: 'new.one@example.com' },
        scope: 'users:write',
      },
      { method: 'GET', path: `/api/v1/users/${id}`, scope: 'users:read' },
      { method: 'GET', path: '/api/v1/users?email=scoped@example.com', scope: 'users:read' },
      {
        method: 'PATCH',
        path: `/api/v1/users/${id}`,
        body: { displayName: 'Scoped' },
        scope: 'users:write',
      },
      {
        method: 'POST',
        path: `/api/v1/users/${id}/password-reset`,
        body: {},
        scope: 'resets:write',
      },
      { method: 'DELETE', path: `/api/v1/users/${id}`, scope: 'users:write' },
    ];
    for (const endpoint of endpoints) {
      const call = (headers: Record<string, string>) =>
        api.request(endpoint.method, endpoint.path, endpoint.body, headers);
      for (const headers of [
        {},
        as('arsk_not-a-real-key-at-all-0000000000000000000'),
        as(ENV_KEY.slice(0, -1)),
      ]) {
        const refused = await call(headers);
        expect({
          endpoint: endpoint.path,
          status: refused.status,
          code: refused.body['code'],
        }).toEqual({
          endpoint: endpoint.path,
          status: 401,
          code: 'UNAUTHORIZED',
        });
      }
      for (const key of [readOnly, resetsOnly]) {
        const allowed = (key === readOnly ? 'users:read' : 'resets:write') === endpoint.scope;
        if (allowed) continue;
        const forbidden = await call(as(key));
        expect({
          endpoint: endpoint.path,
          status: forbidden.status,
          code: forbidden.body['code'],
        }).toEqual({
          endpoint: endpoint.path,
          status: 403,
          code: 'FORBIDDEN',
        });
      }
    }
    expect((await api.get(`/api/v1/users/${id}`, as(readOnly))).status).toBe(200);
    expect((await api.post(`/api/v1/users/${id}/password-reset`, {}, as(resetsOnly))).status).toBe(
      202,
    );
  });

  it('should refuse a revoked key at once', async () => {
    const key = await createClient('temporary', 'users:read');
    expect((await api.get('/api/v1/users?email=a@example.com', as(key))).status).toBe(200);
    expect((await cli('client:revoke', '--name', 'temporary')).code).toBe(0);
    expect((await api.get('/api/v1/users?email=a@example.com', as(key))).status).toBe(401);
  });

  it('should find a user by the normalised address only', async () => {
    const id = await createUser('lookup.person@example.com');
    const found = await api.get('/api/v1/users?email=%20Lookup.Person@EXAMPLE.com%20', as(ENV_KEY));
    expect(found.status).toBe(200);
    expect((found.body as unknown as { id: string }[]).map((u) => u.id)).toEqual([id]);
    const none = await api.get('/api/v1/users?email=lookup.person@example.org', as(ENV_KEY));
    expect(none.body).toEqual([]);
    expect(found.text).not.toMatch(/hash/i);
  });

  it('should revoke outstanding links and tell the old address when the email changes', async () => {
    const id = await createUser('old.address@example.com');
    const invitation = tokenFromMail(mail.mailsTo('old.address@example.com')[0], PORTAL_URL);
    expect(
      (await api.post('/api/v1/auth/reset-password/validate', { token: invitation })).status,
    ).toBe(200);

    const after = mail.mark();
    const changed = await api.request(
      'PATCH',
      `/api/v1/users/${id}`,
      { email: 'New.Address@Example.com' },
      as(ENV_KEY),
    );
    expect(changed.status).toBe(200);
    expect(changed.body['email']).toBe('new.address@example.com');
    const notice = await mail.waitFor('old.address@example.com', { after });
    expect(notice.text).toContain('new.address@example.com');
    expect(
      (await api.post('/api/v1/auth/reset-password/validate', { token: invitation })).body['code'],
    ).toBe('TOKEN_INVALID');
    const taken = await createUser('taken@example.com');
    expect(taken).toBeDefined();
    const conflict = await api.request(
      'PATCH',
      `/api/v1/users/${id}`,
      { email: 'TAKEN@example.com' },
      as(ENV_KEY),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body['code']).toBe('EMAIL_TAKEN');
  });

  it('should end current sessions at once when a forced reset asks for it', async () => {
    const email = 'sessions.svc@example.com';
    const id = await createUser(email);
    const token = tokenFromMail(mail.mailsTo(email)[0], PORTAL_URL);
    const password = 'a quiet forest in the rain';
    expect(
      (await api.post('/api/v1/auth/reset-password', { token, newPassword: password })).status,
    ).toBe(200);
    const login = await api.post('/api/v1/auth/login', { email, password });
    const bearer = { authorization: `Bearer ${login.body['accessToken']}` };
    expect((await api.get('/api/v1/auth/me', bearer)).status).toBe(200);

    expect((await api.post(`/api/v1/users/${id}/password-reset`, {}, as(ENV_KEY))).status).toBe(
      202,
    );
    expect((await api.get('/api/v1/auth/me', bearer)).status).toBe(200);
    expect(
      (await api.post(`/api/v1/users/${id}/password-reset`, { revokeSessions: true }, as(ENV_KEY)))
        .status,
    ).toBe(202);
    expect((await api.get('/api/v1/auth/me', bearer)).status).toBe(401);
    // The password still works: a new session is fine.
    const again = await api.post('/api/v1/auth/login', { email, password });
    expect(
      (await api.get('/api/v1/auth/me', { authorization: `Bearer ${again.body['accessToken']}` }))
        .status,
    ).toBe(200);
  });

  it('should delete a user with every link issued to them', async () => {
    const id = await createUser('leaving@example.com');
    const deleted = await api.request('DELETE', `/api/v1/users/${id}`, undefined, as(ENV_KEY));
    expect(deleted.status).toBe(204);
    expect((await api.get(`/api/v1/users/${id}`, as(ENV_KEY))).status).toBe(404);
    expect(await api.query(`SELECT 1 FROM password_reset_tokens WHERE user_id = $1`, [id])).toEqual(
      [],
    );
    expect(
      (await api.request('DELETE', `/api/v1/users/${id}`, undefined, as(ENV_KEY))).status,
    ).toBe(404);
  });
});
