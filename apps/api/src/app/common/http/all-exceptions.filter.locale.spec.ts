import { LOCALES } from '@account-recovery/contracts';

import { Body, Controller, Get, Header, Logger, Post } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

import { apiMessages } from '../../i18n/api-messages';
import { requestValidationPipe } from '../validation/validation-pipe';
import { IsString, MaxLength } from '../validation/validators';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { ApiException } from './api-exception';
import { contractErrorServerOptions } from './framework-errors';

class NameDto {
  @IsString()
  @MaxLength(5)
  name!: string;
}

@Controller('probe')
class ProbeController {
  @Post('echo')
  echo(@Body() body: NameDto): NameDto {
    return body;
  }

  @Get('expired')
  expired(): never {
    throw ApiException.tokenExpired();
  }

  @Get('scope')
  @Header('Vary', 'Accept')
  scope(): never {
    throw new ApiException(403, 'FORBIDDEN', {
      key: 'auth.key-lacks-scope',
      values: { scope: 'users:write' },
    });
  }

  @Get('busy')
  busy(): never {
    throw ApiException.serviceBusy(7);
  }
}

/**
 * The filter words every answer in the request's language (docs/architecture.md §12), with
 * DEFAULT_LOCALE set to `fr` here so the fallback is told apart from English.
 */
describe('AllExceptionsFilter, in the language of the request', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter({ ...contractErrorServerOptions('fr') }),
      { logger: false },
    );
    app.useGlobalPipes(requestValidationPipe());
    app.useGlobalFilters(new AllExceptionsFilter('fr', apiMessages()));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  async function call(url: string, acceptLanguage?: string, payload?: unknown) {
    const headers: Record<string, string> =
      acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage };
    const response = await app.inject({
      method: payload === undefined ? 'GET' : 'POST',
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: response.statusCode, headers: response.headers, body: response.json() };
  }

  it('should answer in German for Accept-Language: de, the code unchanged', async () => {
    const answer = await call('/probe/expired', 'de-DE,de;q=0.9,en;q=0.8');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      statusCode: 400,
      code: 'TOKEN_EXPIRED',
      message: 'Dieser Link ist abgelaufen.',
    });
    expect(answer.headers['content-language']).toBe('de');
    expect(answer.headers['vary']).toBe('Accept-Language');
  });

  it.each([
    ['no header', undefined],
    ['a language the product does not speak', 'pt-BR, pt;q=0.9'],
    ['a malformed header', ';;;q=,=de'],
    ['the wildcard', '*'],
  ])('should fall back to DEFAULT_LOCALE for %s', async (_, header) => {
    const answer = await call('/probe/expired', header);
    expect(answer.body).toMatchObject({ code: 'TOKEN_EXPIRED', message: 'Ce lien a expiré.' });
    expect(answer.headers['content-language']).toBe('fr');
  });

  it.each([
    ['the best q-value', 'fr;q=0.5, ja;q=0.9, de;q=0.7', 'ja'],
    ['the order of equal weights', 'es, ar', 'es'],
    ['a prefix of a regional tag', 'ar-EG', 'ar'],
    ['not a refused language (q=0)', 'en;q=0, es;q=0.1', 'es'],
  ])('should pick %s', async (_, header, locale) => {
    const answer = await call('/probe/expired', header);
    expect(answer.headers['content-language']).toBe(locale);
    expect(answer.body['message']).toBe(apiMessages().text(locale as 'ja', 'link.expired'));
  });

  it('should never change the code, and word each locale differently', async () => {
    const answers = await Promise.all(LOCALES.map((locale) => call('/probe/scope', locale)));
    expect(answers.map((a) => a.body['code'])).toEqual(LOCALES.map(() => 'FORBIDDEN'));
    expect(new Set(answers.map((a) => a.body['message'])).size).toBe(LOCALES.length);
    expect(answers.map((a) => a.body['message'])).toEqual(
      LOCALES.map((locale) => expect.stringContaining('users:write')),
    );
    // A Vary the route set is kept, and Accept-Language added to it.
    expect(answers[0].headers['vary']).toBe('Accept, Accept-Language');
  });

  it('should word a validation failure and each field error', async () => {
    const answer = await call('/probe/echo', 'es', { name: 'too long', extra: true });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'La solicitud no es válida.',
      errors: {
        name: ['«name» debe tener como máximo 5 caracteres'],
        extra: ['La propiedad «extra» no está permitida'],
      },
    });
    expect(answer.headers['content-language']).toBe('es');
  });

  it("should word the framework's own errors: bad JSON, an unknown route", async () => {
    const badJson = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/json', 'accept-language': 'ar' },
      payload: '{"name": ',
    });
    expect(badJson.json()).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'محتوى الطلب ليس JSON صالحًا.',
    });
    expect(badJson.headers['content-language']).toBe('ar');
    const missing = await call('/probe/nothing', 'ja');
    expect(missing.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: '見つかりません。',
    });
  });

  it('should word what Fastify answers before any route (a broken percent-escape)', async () => {
    const answer = await call('/probe/%E0%A4%A', 'de');
    expect(answer.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Die Anfrage ist ungültig.',
    });
    expect(answer.headers['content-language']).toBe('de');
    expect(answer.headers['vary']).toBe('Accept-Language');
  });

  it('should keep Retry-After beside a translated message', async () => {
    const answer = await call('/probe/busy', 'de');
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('7');
    expect(answer.body['message']).toBe(
      'Der Dienst ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal.',
    );
  });

  it('should read a bounded part of a long header and never send it back', async () => {
    const marker = 'zz-echo-marker';
    // 40 unknown ranges first: past the 32 read, `de` is never reached.
    const header = `${Array.from({ length: 40 }, (_, i) => `${marker}-${i}`).join(',')},de`;
    const answer = await call('/probe/expired', header);
    expect(answer.headers['content-language']).toBe('fr');
    expect(JSON.stringify(answer.headers) + JSON.stringify(answer.body)).not.toContain(marker);
  });
});
