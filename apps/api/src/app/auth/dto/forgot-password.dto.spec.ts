import { EMAIL_MAX_LENGTH } from '@account-recovery/contracts';

import { Body, Controller, HttpCode, Post, ValidationPipe } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication, RouteSchema } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import fc from 'fast-check';

import { AllExceptionsFilter } from '../../common/http/all-exceptions.filter';
import { acceptJsonBodiesOnly } from '../../common/http/json-body';
import {
  checkBodiesAgainstRouteSchemas,
  SCHEMA_CHECK_SERVER_OPTIONS,
  SchemaCheckedBody,
} from '../../common/validation/schema-checked-body';
import { requestValidationPipe } from '../../common/validation/validation-pipe';
import {
  FORGOT_PASSWORD_BODY_SCHEMA,
  ForgotPasswordDto,
  forgotPasswordDtoOf,
} from './forgot-password.dto';

/** What the handler received: the DTO's class and its fields. */
const received = (body: ForgotPasswordDto) => ({
  dto: body instanceof ForgotPasswordDto,
  fields: { ...body },
});

/** The same body two ways: the global ValidationPipe alone, and the compiled schema first. */
@Controller()
class ProbeController {
  @Post('by-dto')
  @HttpCode(202)
  byDto(@Body() body: ForgotPasswordDto) {
    return received(body);
  }

  @Post('by-schema')
  @HttpCode(202)
  @RouteSchema({ body: FORGOT_PASSWORD_BODY_SCHEMA })
  bySchema(@SchemaCheckedBody(ForgotPasswordDto, forgotPasswordDtoOf) body: ForgotPasswordDto) {
    return received(body);
  }
}

const CHARACTERS = [
  ' ',
  '  ',
  '\t',
  '\r\n',
  '\u0000',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\u2028',
  '\u00a0',
  '"',
  '\\',
  '@',
  '\uff20',
  '.',
  '..',
  '-',
  '_',
  '+',
  '[',
  ']',
  '(',
  ',',
  '<',
  '>',
  'a',
  'Z',
  '0',
  'é',
  'ß',
  '\ufb01',
  '\u2460',
  '\uff41',
  '\u0301',
  '\u{1F600}',
  '\u{10FFFF}',
  '\ud800',
  '\udc00',
  'xn--',
  'ｅ',
  'ﷺ',
];

const piece = fc.oneof(
  fc.constantFrom(...CHARACTERS),
  fc.string({ unit: 'binary', maxLength: 3 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 6 }),
);

/** What may surround an address: spaces (forgiven), other blanks and invisibles (not). */
const padding = fc.string({
  unit: fc.constantFrom(' ', ' ', '\t', '\n', '\u00a0', '\u3000', '\u2028', '\ufeff', '\u200b'),
  maxLength: 3,
});

/** Addresses, mostly valid, with spaces, odd characters and lengths near the limits. */
const emailLike = fc.oneof(
  { weight: 4, arbitrary: fc.emailAddress() },
  {
    weight: 3,
    arbitrary: fc
      .tuple(padding, fc.emailAddress(), padding)
      .map(([before, email, after]) => before + email + after),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.emailAddress(), fc.array(fc.tuple(fc.nat(), piece), { maxLength: 3 }))
      .map(([email, inserts]) =>
        inserts.reduce((s, [at, text]) => {
          const i = at % (s.length + 1);
          return s.slice(0, i) + text + s.slice(i);
        }, email),
      ),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 250 }),
        fc.constantFrom('', ' ', '  ', '\ufb01', '\u{1F600}', 'ｅ'),
      )
      .map(([local, domain, extra]) => {
        const labels = 'd'
          .repeat(domain)
          .replace(/(.{60})/g, '$1.')
          .replace(/\.$/, '');
        return `${'l'.repeat(local)}${extra}@${labels}.com${extra.trim() ? '' : extra}`;
      }),
  },
  { weight: 2, arbitrary: fc.string({ unit: piece, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constant(` ${'a'.repeat(EMAIL_MAX_LENGTH - 8)}@b.co `) },
);

const otherValue = fc.oneof(
  fc.constantFrom(null, true, 0, -1.5, '', [], {}),
  fc.array(fc.emailAddress(), { minLength: 1, maxLength: 2 }),
  fc.dictionary(fc.constantFrom('email', 'a'), fc.emailAddress(), { maxKeys: 2 }),
);

/** Bodies of every shape, most of them an object with an email to read. */
const body = fc.oneof(
  { weight: 8, arbitrary: emailLike.map((email) => ({ email })) },
  { weight: 2, arbitrary: otherValue.map((email) => ({ email })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(emailLike, fc.constantFrom('isAdmin', 'Email', 'email ', 'constructor', 'then', '0'))
      .map(([email, key]) => ({ email, [key]: 1 })),
  },
  { weight: 1, arbitrary: fc.oneof(otherValue, fc.constant({}), emailLike) },
);

/**
 * The compiled schema may only decide faster, never differently: for every body, the
 * forgot-password route's answer (status and body, the VALIDATION_FAILED messages included)
 * and the DTO its handler gets are those of ForgotPasswordDto under the global
 * ValidationPipe, which answered every body before the schema existed.
 */
describe('ForgotPasswordDto through its compiled schema', () => {
  let app: NestFastifyApplication;
  const fallbacks = jest.spyOn(ValidationPipe.prototype, 'transform');

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter(SCHEMA_CHECK_SERVER_OPTIONS),
      { logger: false, bodyParser: false },
    );
    app.useGlobalPipes(requestValidationPipe());
    app.useGlobalFilters(new AllExceptionsFilter());
    const fastify = app.getHttpAdapter().getInstance();
    checkBodiesAgainstRouteSchemas(fastify);
    acceptJsonBodiesOnly(fastify);
    await app.init();
    await fastify.ready();
  });

  afterAll(async () => {
    await app?.close();
  });

  async function post(url: string, payload: string) {
    fallbacks.mockClear();
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload,
    });
    return {
      status: response.statusCode,
      body: response.body,
      // The global pipe also sees the decorator's argument (type "custom") and passes it by.
      validatedBy: (fallbacks.mock.calls.some(([, metadata]) => metadata.type === 'body')
        ? 'dto'
        : 'schema') as 'dto' | 'schema',
    };
  }

  it('should answer every body as the DTO does, taking the schema path for valid ones', async () => {
    const paths = { valid: { schema: 0, dto: 0 }, invalid: { schema: 0, dto: 0 } };
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const payload = JSON.stringify(value);
        const byDto = await post('/by-dto', payload);
        const bySchema = await post('/by-schema', payload);
        expect({ status: bySchema.status, body: bySchema.body }).toEqual({
          status: byDto.status,
          body: byDto.body,
        });
        // A refused body is always judged by the DTO. A valid one normally is not, but the
        // schema may refuse some that the DTO accepts (an extra `constructor` key, which
        // class-transformer ignores): those are judged, and accepted, by the DTO.
        if (byDto.status !== 202) expect(bySchema.validatedBy).toBe('dto');
        paths[byDto.status === 202 ? 'valid' : 'invalid'][bySchema.validatedBy] += 1;
      }),
      { seed: 20261205, numRuns: 3000 },
    );
    // Both kinds were generated many times, and valid bodies took the schema's path.
    expect(paths.valid.schema).toBeGreaterThan(500);
    expect(paths.valid.dto).toBeLessThan(paths.valid.schema / 10);
    expect(paths.invalid.dto).toBeGreaterThan(500);
  }, 120_000);

  it('should answer bodies that are not a JSON object as the DTO does', async () => {
    for (const payload of ['null', '[]', '"a@b.co"', '1', 'true', '{}', '[{"email":"a@b.co"}]']) {
      const byDto = await post('/by-dto', payload);
      const bySchema = await post('/by-schema', payload);
      expect([payload, bySchema.status, bySchema.body]).toEqual([
        payload,
        byDto.status,
        byDto.body,
      ]);
    }
    const empty = await app.inject({ method: 'POST', url: '/by-schema' });
    const emptyByDto = await app.inject({ method: 'POST', url: '/by-dto' });
    expect([empty.statusCode, empty.body]).toEqual([emptyByDto.statusCode, emptyByDto.body]);
  });

  it('should hand the handler the normalised address as a ForgotPasswordDto', async () => {
    const answer = await post('/by-schema', JSON.stringify({ email: '  Jane\uff20Example.com ' }));
    expect(answer).toEqual({
      status: 202,
      body: JSON.stringify({ dto: true, fields: { email: 'Jane@Example.com' } }),
      validatedBy: 'schema',
    });
  });
});
