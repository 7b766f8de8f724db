import {
  ApiProcess,
  HttpResult,
  MailCatcher,
  PORTAL_URL,
  tokenFromMail,
} from '@account-recovery/testing';

import { waitForSettledJobs } from './support/email-jobs';
import { isInvitation, isResetMail, waitForMailCount } from './support/mail-wait';
import { API_KEY_HEADER, createUserViaApi, ROUTES } from './support/service-api';

const API_KEY = 'svc-e2e-key-7c1d0f3a9b2e4d68';
const SECOND_KEY = 'svc-e2e-other-key-51aa90c3e7';
const PASSWORD = 'copper kettle hums at noon';
const USER_FIELDS = [
  'createdAt',
  'displayName',
  'email',
  'hasPassword',
  'hasSecondFactor',
  'id',
  'locale',
  'lockout',
  'passwordChangedAt',
  'roles',
  'sessionsRevokedAt',
  'updatedAt',
];
const NOTHING_HELD = {
  signIn: { state: 'ok', failures: 0, until: null },
  secondFactor: { state: 'ok', failures: 0, until: null },
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The provisioning API other services call with `X-API-Key` (docs/architecture.md §1; the routes in the OpenAPI document). */
describe('service API', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;
  const key = { [API_KEY_HEADER]: API_KEY };

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: `${API_KEY}, ${SECOND_KEY}`,
    });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  function expectError(result: HttpResult, statusCode: number, code: string): void {
    expect({ status: result.status, body: result.body }).toEqual({
      status: statusCode,
      body: { statusCode, code, message: expect.any(String) },
    });
  }

  /** A user's answer never carries a hash, under any name. */
  function expectUserShape(result: HttpResult): void {
    expect(Object.keys(result.body).sort()).toEqual(USER_FIELDS);
    expect(result.text).not.toMatch(/hash/i);
    expect(result.text).not.toMatch(/\$2[aby]\$/);
  }

  it('should create a user and invite them to set a first password with a 72-hour link', async () => {
    const email = 'invited.person@example.com';
    const created = await api.post(ROUTES.users, { email, displayName: 'Invited Person' }, key);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(UUID),
      email,
      displayName: 'Invited Person',
      locale: null,
      hasPassword: false,
      passwordChangedAt: null,
      roles: [],
      hasSecondFactor: false,
      sessionsRevokedAt: null,
      lockout: NOTHING_HELD,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expectUserShape(created);

    const invitation = await mail.waitFor(email, { predicate: isInvitation });
    expect(invitation.subject).toMatch(/set your password/i);
    expect(invitation.text).toMatch(/set up your account/i);
    const token = tokenFromMail(invitation, PORTAL_URL);
    const validated = await api.post(ROUTES.validate, { token });
    expect(validated.status).toBe(200);
    const ttlMs = new Date(validated.body['expiresAt'] as string).getTime() - Date.now();
    expect(ttlMs).toBeGreaterThan(71.9 * 3600_000);
    expect(ttlMs).toBeLessThanOrEqual(72 * 3600_000);

    expect((await api.post(ROUTES.reset, { token, newPassword: PASSWORD })).status).toBe(200);
    expect((await api.post(ROUTES.login, { email, password: PASSWORD })).status).toBe(200);

    // Read with the second configured key: every key in SERVICE_API_KEYS works.
    const read = await api.get(`${ROUTES.users}/${created.body['id']}`, {
      [API_KEY_HEADER]: SECOND_KEY,
    });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body['id'], email, hasPassword: true });
    expect(read.body['passwordChangedAt']).toEqual(expect.any(String));
    expectUserShape(read);
    const [{ password_hash: hash }] = await api.query<{ password_hash: string }>(
      `SELECT password_hash FROM users WHERE id = $1`,
      [created.body['id']],
    );
    expect(read.text).not.toContain(hash);
  });

  it('should refuse an address that is taken in another case or with spaces with 409', async () => {
    await createUserViaApi(api, API_KEY, 'taken@example.com');
    for (const email of ['taken@example.com', 'TAKEN@Example.com', '  Taken@example.COM ']) {
      expectError(await api.post(ROUTES.users, { email }, key), 409, 'EMAIL_TAKEN');
    }
    const rows = await api.query(`SELECT 1 FROM users WHERE lower(email) LIKE '%taken@%'`);
    expect(rows).toHaveLength(1);
  });

  it('should answer 401 without a key, with a wrong key, and with a prefix or extension of a key', async () => {
    const userId = await createUserViaApi(api, API_KEY, 'guarded@example.com');
    const badKeys: Record<string, string>[] = [
      {},
      { [API_KEY_HEADER]: '' },
      { [API_KEY_HEADER]: 'svc-e2e-key-0000000000000000' },
      { [API_KEY_HEADER]: API_KEY.slice(0, -1) },
      { [API_KEY_HEADER]: API_KEY.slice(0, 8) },
      { [API_KEY_HEADER]: `${API_KEY}0` },
      { [API_KEY_HEADER]: `${API_KEY},${SECOND_KEY}` },
      { [API_KEY_HEADER]: API_KEY.toUpperCase() },
      { authorization: `Bearer ${API_KEY}` },
    ];
    for (const headers of badKeys) {
      expectError(
        await api.post(ROUTES.users, { email: 'intruder@example.com' }, headers),
        401,
        'UNAUTHORIZED',
      );
      expectError(await api.get(`${ROUTES.users}/${userId}`, headers), 401, 'UNAUTHORIZED');
      expectError(
        await api.post(`${ROUTES.users}/${userId}/password-reset`, {}, headers),
        401,
        'UNAUTHORIZED',
      );
    }
    expect(await api.query(`SELECT 1 FROM users WHERE email = 'intruder@example.com'`)).toEqual([]);
    expect(
      await api.query(`SELECT 1 FROM pgboss.job WHERE data->>'kind' = 'forced-reset'`),
    ).toEqual([]);
  });

  it('should read a user by id and answer 404 NOT_FOUND for an unknown or malformed id', async () => {
    const userId = await createUserViaApi(api, API_KEY, 'readable@example.com', 'Readable');
    const read = await api.get(`${ROUTES.users}/${userId}`, key);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: userId,
      email: 'readable@example.com',
      hasPassword: false,
    });
    expectUserShape(read);

    for (const id of ['0b6f6f3e-3c1a-4c55-9a39-2b0e2b9f0c11', 'not-a-uuid', '1', `${userId}x`]) {
      expectError(await api.get(`${ROUTES.users}/${id}`, key), 404, 'NOT_FOUND');
      expectError(
        await api.post(`${ROUTES.users}/${id}/password-reset`, {}, key),
        404,
        'NOT_FOUND',
      );
    }
  });

  it('should send a help-desk reset even when the address has used up its self-service emails', async () => {
    const email = 'helpdesk.case@example.com';
    const userId = await createUserViaApi(api, API_KEY, email);
    await mail.waitFor(email, { predicate: isInvitation });

    // RESET_EMAILS_PER_HOUR is 3: three links, one at a time, then a fourth request that
    // the worker deals with by sending nothing.
    for (let i = 1; i <= 3; i += 1) {
      expect((await api.post(ROUTES.forgot, { email })).status).toBe(202);
      await waitForMailCount(mail, email, i, { predicate: isResetMail });
    }
    expect((await api.post(ROUTES.forgot, { email })).status).toBe(202);
    await waitForSettledJobs(api, 'reset-request', { count: 4, match: { email } });
    expect(mail.mailsTo(email).filter(isResetMail)).toHaveLength(3);

    const forced = await api.post(`${ROUTES.users}/${userId}/password-reset`, {}, key);
    expect(forced.status).toBe(202);
    const mails = await waitForMailCount(mail, email, 4, { predicate: isResetMail });
    const token = tokenFromMail(mails[3], PORTAL_URL);
    const validated = await api.post(ROUTES.validate, { token });
    expect(validated.status).toBe(200);
    // A reset link, not an invitation: the short TTL.
    const ttlMs = new Date(validated.body['expiresAt'] as string).getTime() - Date.now();
    expect(ttlMs).toBeLessThanOrEqual(15 * 60_000);
  });

  it('should refuse a display name with CR or LF and escape markup in the HTML email', async () => {
    for (const displayName of ['Eve\r\nBcc: victim@example.com', 'Eve\nX', 'Eve\rX']) {
      const refused = await api.post(
        ROUTES.users,
        { email: 'header.injection@example.com', displayName },
        key,
      );
      expect(refused.status).toBe(400);
      expect(refused.body['code']).toBe('VALIDATION_FAILED');
      expect(refused.body['errors']).toHaveProperty('displayName');
    }
    expect(
      await api.query(`SELECT 1 FROM users WHERE email = 'header.injection@example.com'`),
    ).toEqual([]);

    const email = 'markup.name@example.com';
    const displayName = '<script>alert(1)</script> Mallory';
    await createUserViaApi(api, API_KEY, email, displayName);
    const invitation = await mail.waitFor(email, { predicate: isInvitation });
    expect(invitation.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Mallory');
    expect(invitation.html).not.toMatch(/<script/i);
    expect(invitation.headerLines.join('\n')).not.toMatch(/script|Mallory/);
  });
});
