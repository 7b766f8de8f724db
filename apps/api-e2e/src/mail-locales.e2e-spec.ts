import {
  ApiProcess,
  MailCatcher,
  PORTAL_URL,
  ReceivedMail,
  tokenFromMail,
} from '@account-recovery/testing';

import { API_KEY_HEADER, ROUTES } from './support/service-api';

const API_KEY = 'e2e-service-key-locales-0123456789';
const key = { [API_KEY_HEADER]: API_KEY };
const PASSWORD = 'seven quiet lanterns over the harbour';

/** Subjects of the reset email, per locale (the catalogs' `reset-password.subject`). */
const RESET_SUBJECT = {
  en: 'Reset your Account Recovery password',
  de: 'Passwort für Account Recovery zurücksetzen',
  fr: 'Réinitialisez votre mot de passe Account Recovery',
  es: 'Restablezca su contraseña de Account Recovery',
  ja: 'Account Recovery のパスワードの再設定',
  ar: 'إعادة تعيين كلمة المرور لحسابك في Account Recovery',
} as const;

/**
 * Which language an email is written in (docs/architecture.md §12): the person's stored
 * locale, else the Accept-Language of the request that caused it, else DEFAULT_LOCALE (set to
 * `es` here, so the fallback is told apart from English).
 */
describe('the language of emails', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      DEFAULT_LOCALE: 'es',
    });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  async function createUser(
    email: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<string> {
    const created = await api.post(ROUTES.users, { email, ...extra }, { ...key, ...headers });
    expect(created.status).toBe(201);
    return created.body['id'] as string;
  }

  /** The next email to `email` after `after`, whatever its language. */
  function nextMail(email: string, after: number, subject?: string): Promise<ReceivedMail> {
    return mail.waitFor(email, {
      after,
      predicate: (m) => subject === undefined || m.subject === subject,
    });
  }

  async function forgot(email: string, acceptLanguage?: string): Promise<void> {
    const headers: Record<string, string> =
      acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage };
    const asked = await api.post(ROUTES.forgot, { email }, headers);
    expect(asked.status).toBe(202);
  }

  function expectLanguage(received: ReceivedMail, locale: keyof typeof RESET_SUBJECT): void {
    const dir = locale === 'ar' ? 'rtl' : 'ltr';
    expect(received.html).toContain(`<html lang="${locale}" dir="${dir}"`);
  }

  it('should write in the stored locale, whatever the request asks for', async () => {
    const email = 'stored.locale@example.com';
    const invitedAt = mail.mark();
    await createUser(email, { displayName: 'Émile', locale: 'fr' }, { 'accept-language': 'ja' });
    const invitation = await nextMail(email, invitedAt);
    expect(invitation.subject).toBe(
      'Bienvenue sur Account Recovery\u00a0: définissez votre mot de passe',
    );
    expect(invitation.text).toContain('Bonjour Émile,');
    expect(invitation.text).toContain('3 jours');
    expectLanguage(invitation, 'fr');

    const after = mail.mark();
    await forgot(email, 'ja-JP, en;q=0.8');
    const reset = await nextMail(email, after);
    expect(reset.subject).toBe(RESET_SUBJECT.fr);
    expect(reset.text).toContain('15 minutes');
    // The link carries no locale; the page picks its own language.
    const token = tokenFromMail(reset, PORTAL_URL);
    expect(reset.text).toContain(`${PORTAL_URL}/reset-password/${token}\n`);
  });

  it("should write in the request's Accept-Language when the person has none", async () => {
    const email = 'request.locale@example.com';
    const invitedAt = mail.mark();
    await createUser(email, {}, { 'accept-language': 'de-CH, de;q=0.9, en;q=0.5' });
    const invitation = await nextMail(email, invitedAt);
    expect(invitation.subject).toBe('Willkommen bei Account Recovery: Legen Sie Ihr Passwort fest');
    expectLanguage(invitation, 'de');

    const after = mail.mark();
    await forgot(email, 'ja;q=0.9, pt-BR, ar;q=0.1');
    const reset = await nextMail(email, after);
    expect(reset.subject).toBe(RESET_SUBJECT.ja);
    expect(reset.text).toContain('15分');
    expectLanguage(reset, 'ja');

    const rtlAt = mail.mark();
    const forced = await api.post(
      `${ROUTES.users}/${await idOf(email)}/password-reset`,
      {},
      { ...key, 'accept-language': 'ar-EG' },
    );
    expect(forced.status).toBe(202);
    const arabic = await nextMail(email, rtlAt);
    expect(arabic.subject).toBe(RESET_SUBJECT.ar);
    expectLanguage(arabic, 'ar');
    expect(arabic.html).toMatch(/class="card-body" align="right"/);
  });

  it('should fall back to DEFAULT_LOCALE, for a header without a shipped locale and for a request queued before locales', async () => {
    const email = 'fallback.locale@example.com';
    const invitedAt = mail.mark();
    await createUser(email, {}, { 'accept-language': 'pt-BR, zh;q=0.5' });
    expectLanguage(await nextMail(email, invitedAt), 'es');

    const after = mail.mark();
    await forgot(email);
    const reset = await nextMail(email, after);
    expect(reset.subject).toBe(RESET_SUBJECT.es);
    expect(reset.text).toContain('Hola:');

    // A request the intake took before it had a locale column reads as none.
    const legacy = 'legacy.locale@example.com';
    const legacyInvitedAt = mail.mark();
    await createUser(legacy);
    await nextMail(legacy, legacyInvitedAt);
    const legacyAt = mail.mark();
    await api.query(
      `INSERT INTO reset_request_intake (email, address, ip, user_agent, requested_at)
       VALUES ($1, $1, '192.0.2.7', NULL, now())`,
      [legacy],
    );
    expect((await nextMail(legacy, legacyAt)).subject).toBe(RESET_SUBJECT.es);
  });

  it('should let a person choose their language on PATCH /v1/auth/me, and write in it', async () => {
    const email = 'me.locale@example.com';
    const invitedAt = mail.mark();
    await createUser(email);
    const token = tokenFromMail(await nextMail(email, invitedAt), PORTAL_URL);
    const set = await api.post(ROUTES.reset, { token, newPassword: PASSWORD });
    expect(set.status).toBe(200);
    const login = await api.post(ROUTES.login, { email, password: PASSWORD });
    const auth = { authorization: `Bearer ${login.body['accessToken'] as string}` };

    const before = await api.get(ROUTES.me, auth);
    expect(before.body['locale']).toBeNull();

    const changed = await api.request('PATCH', ROUTES.me, { locale: 'de' }, auth);
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ ...before.body, locale: 'de' });
    expect((await api.get(ROUTES.me, auth)).body['locale']).toBe('de');

    // By subject: the notice of the password just set may arrive in between.
    const after = mail.mark();
    await forgot(email, 'fr');
    await nextMail(email, after, RESET_SUBJECT.de);

    const named = await api.request('PATCH', ROUTES.me, { displayName: 'Mia', locale: null }, auth);
    expect(named.status).toBe(200);
    expect(named.body).toMatchObject({ displayName: 'Mia', locale: null });
    const events = await api.query<{ details: unknown }>(
      `SELECT details FROM security_events WHERE type = 'user.changed' AND user_id = $1
        ORDER BY occurred_at`,
      [await idOf(email)],
    );
    expect(events.map((e) => e.details)).toEqual([
      { displayName: false, locale: true },
      { displayName: true, locale: true },
    ]);

    for (const body of [{ locale: 'pt' }, { locale: 'DE' }, { locale: 7 }, {}, { email }]) {
      const refused = await api.request('PATCH', ROUTES.me, body, auth);
      expect({ body, status: refused.status, code: refused.body['code'] }).toEqual({
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const refused = await api.request('PATCH', ROUTES.me, { locale: 'pt' }, auth);
    expect(Object.keys(refused.body['errors'] as object)).toEqual(['locale']);
    expect((await api.request('PATCH', ROUTES.me, { locale: 'de' })).status).toBe(401);
  });

  it('should validate locale on the service API and answer it with the user', async () => {
    const refused = await api.post(
      ROUTES.users,
      { email: 'bad.locale@example.com', locale: 'pt' },
      key,
    );
    expect(refused.status).toBe(400);
    expect(refused.body['code']).toBe('VALIDATION_FAILED');
    expect(Object.keys(refused.body['errors'] as object)).toEqual(['locale']);

    const id = await createUser('service.locale@example.com', { locale: 'ja' });
    expect((await api.get(`${ROUTES.users}/${id}`, key)).body['locale']).toBe('ja');
    for (const locale of ['en-US', '', 'xx', 42]) {
      const patched = await api.request('PATCH', `${ROUTES.users}/${id}`, { locale }, key);
      expect({ locale, status: patched.status, code: patched.body['code'] }).toEqual({
        locale,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const patched = await api.request('PATCH', `${ROUTES.users}/${id}`, { locale: 'ar' }, key);
    expect(patched.status).toBe(200);
    expect(patched.body['locale']).toBe('ar');
    const cleared = await api.request('PATCH', `${ROUTES.users}/${id}`, { locale: null }, key);
    expect(cleared.body['locale']).toBeNull();
  });

  async function idOf(email: string): Promise<string> {
    const [row] = await api.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
    return row.id;
  }
});
