import { ApiProcess, HttpResult } from '@account-recovery/testing';

import { ROUTES } from './support/service-api';

/**
 * The language of error answers (docs/architecture.md §12): the built API, over HTTP, words
 * each message in the language negotiated from Accept-Language, else DEFAULT_LOCALE (`es`
 * here, so the fallback is told apart from English), and says which in Content-Language.
 * The code never changes.
 */
describe('the language of error answers', () => {
  let api: ApiProcess;

  beforeAll(async () => {
    api = await ApiProcess.start({ DEFAULT_LOCALE: 'es' });
  });

  afterAll(async () => {
    await api?.stop();
  });

  function expectLanguage(answer: HttpResult, locale: string): void {
    expect(answer.headers.get('content-language')).toBe(locale);
    expect(answer.headers.get('vary') ?? '').toMatch(/accept-language/i);
  }

  it('should answer in Arabic for Accept-Language: ar', async () => {
    const answer = await api.post(
      ROUTES.validate,
      { token: 'not-a-token-this-api-gave' },
      { 'accept-language': 'ar-SA,ar;q=0.9,en;q=0.5' },
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      statusCode: 400,
      code: 'TOKEN_INVALID',
      message: 'هذا الرابط غير صالح.',
    });
    expectLanguage(answer, 'ar');
  });

  it('should word a validation failure and its field errors in Arabic', async () => {
    const answer = await api.post(
      ROUTES.forgot,
      { email: 'not an address', extra: 1 },
      { 'accept-language': 'ar' },
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'الطلب غير صالح.',
      errors: {
        email: ['يجب أن يكون «email» عنوان بريد إلكتروني صالحًا'],
        extra: ['الخاصية «extra» غير مسموح بها'],
      },
    });
    expectLanguage(answer, 'ar');
  });

  it('should fall back to DEFAULT_LOCALE, and keep the English the API always answered', async () => {
    const fallback = await api.post(
      ROUTES.validate,
      { token: 'nope' },
      { 'accept-language': 'pt-BR' },
    );
    expect(fallback.body).toMatchObject({
      code: 'TOKEN_INVALID',
      message: 'Este enlace no es válido.',
    });
    expectLanguage(fallback, 'es');

    const english = await api.post(
      ROUTES.validate,
      { token: 'nope' },
      { 'accept-language': 'en-GB' },
    );
    expect(english.body).toMatchObject({
      code: 'TOKEN_INVALID',
      message: 'This link is not valid.',
    });
    expectLanguage(english, 'en');
  });

  it("should word the framework's answers too: a body that is not JSON, an unknown route", async () => {
    const badJson = await api.post(ROUTES.login, '{"email": ', { 'accept-language': 'ja' });
    expect(badJson.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'リクエストの本文が正しい JSON ではありません。',
    });
    expectLanguage(badJson, 'ja');

    const missing = await api.get('/api/v1/nowhere', { 'accept-language': 'de' });
    expect(missing.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Nicht gefunden.',
    });
    expectLanguage(missing, 'de');
  });

  it('should answer a wrong password in the language of the sign-in page', async () => {
    const answer = await api.post(
      ROUTES.login,
      { email: 'nobody@example.com', password: 'not the password at all' },
      { 'accept-language': 'fr' },
    );
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      statusCode: 401,
      code: 'INVALID_CREDENTIALS',
      message: 'Adresse e-mail ou mot de passe incorrect.',
    });
    expectLanguage(answer, 'fr');
  });
});
