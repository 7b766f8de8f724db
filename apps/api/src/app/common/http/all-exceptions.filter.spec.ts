import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpStatus,
  Logger,
  Post,
  ValidationPipe,
} from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { IsString } from 'class-validator';
import { QueryFailedError } from 'typeorm';

import { AllExceptionsFilter } from './all-exceptions.filter';
import { ApiException } from './api-exception';
import { validationExceptionFactory } from './validation-exception.factory';

const SECRET_DETAIL = 'select * from users where password_hash = secret-detail-7f3a';

/** What `pg` throws when nothing listens on the database port. */
function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
    code: 'ECONNREFUSED',
    errno: -111,
    syscall: 'connect',
  });
}

/** What TypeORM throws when PostgreSQL answers with this SQLSTATE. */
function queryFailed(sqlstate: string, message: string): QueryFailedError {
  return new QueryFailedError(
    'SELECT 1',
    [],
    Object.assign(new Error(message), { code: sqlstate, severity: 'FATAL' }),
  );
}

class EchoDto {
  @IsString()
  name!: string;
}

@Controller('probe')
class ProbeController {
  @Post('echo')
  echo(@Body() body: EchoDto): EchoDto {
    return body;
  }

  @Get('domain')
  domain(): never {
    throw ApiException.tokenExpired();
  }

  @Get('forbidden')
  forbidden(): never {
    throw new ForbiddenException(SECRET_DETAIL);
  }

  @Get('db-refused')
  refused(): Promise<never> {
    return Promise.reject(connectionRefused());
  }

  @Get('db-admin-shutdown')
  adminShutdown(): never {
    throw queryFailed('57P01', 'terminating connection due to administrator command');
  }

  @Get('db-pool-timeout')
  poolTimeout(): never {
    throw new Error('timeout exceeded when trying to connect');
  }

  @Get('db-unique-violation')
  uniqueViolation(): never {
    throw queryFailed('23505', `duplicate key value violates unique constraint: ${SECRET_DETAIL}`);
  }

  @Get('bug')
  bug(): never {
    throw new TypeError(`Cannot read properties of undefined (${SECRET_DETAIL})`);
  }

  /** A plugin's own error (not a FastifyError, not an HttpException), as rate limiters throw. */
  @Get('plugin-error')
  pluginError(): never {
    throw Object.assign(new Error(`Rate limit exceeded for ${SECRET_DETAIL}`), { statusCode: 429 });
  }

  @Get('thrown-string')
  thrownString(): never {
    throw SECRET_DETAIL;
  }
}

/**
 * The filter inside a real Nest application on Fastify, answering through `inject` (no
 * socket): errors from the framework, from our code and from the database driver.
 */
describe('AllExceptionsFilter', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter({ bodyLimit: 1024 }),
      { logger: false },
    );
    app.useGlobalPipes(
      new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        exceptionFactory: validationExceptionFactory,
      }),
    );
    app.useGlobalFilters(new AllExceptionsFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => {
    // The filter logs unexpected errors; keep the test output clean but watch what it logs.
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  async function call(
    method: 'GET' | 'POST',
    url: string,
    payload?: string,
    contentType = 'application/json',
  ): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
    const response = await app.inject({
      method,
      url,
      payload,
      headers: payload === undefined ? {} : { 'content-type': contentType },
    });
    return { status: response.statusCode, body: response.json(), text: response.body };
  }

  describe('framework errors', () => {
    it('should keep 400 for a body that is not JSON, without quoting it', async () => {
      const answer = await call('POST', '/probe/echo', '{"name": "quoted-marker"');
      expect(answer).toEqual({
        status: 400,
        body: {
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: 'The request body is not valid JSON.',
        },
        text: expect.any(String),
      });
      expect(answer.text).not.toContain('quoted-marker');
    });

    it('should keep 413 for a body over the limit', async () => {
      const answer = await call('POST', '/probe/echo', JSON.stringify({ name: 'x'.repeat(2048) }));
      expect(answer.body).toEqual({
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is too large.',
      });
      expect(answer.status).toBe(413);
    });

    it('should keep 415 for a content type without a parser', async () => {
      const answer = await call('POST', '/probe/echo', '<name>x</name>', 'application/xml');
      expect(answer.status).toBe(415);
      expect(answer.body).toEqual({
        statusCode: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: expect.any(String),
      });
    });

    it('should keep 404 for an unknown route and 403 from a Nest exception, with fixed messages', async () => {
      expect(await call('GET', '/probe/nothing-here')).toMatchObject({
        status: 404,
        body: { statusCode: 404, code: 'NOT_FOUND', message: 'Not found.' },
      });
      const forbidden = await call('GET', '/probe/forbidden');
      expect(forbidden.body).toEqual({
        statusCode: 403,
        code: 'FORBIDDEN',
        message: 'Not allowed.',
      });
      expect(forbidden.text).not.toContain('secret-detail');
    });

    it("should keep a plugin error's 4xx with the matching code and a fixed message", async () => {
      const answer = await call('GET', '/probe/plugin-error');
      expect(answer.status).toBe(429);
      expect(answer.body).toEqual({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: 'Too many requests. Try again later.',
      });
    });

    it('should answer validation failures with the fields that failed', async () => {
      const answer = await call('POST', '/probe/echo', JSON.stringify({ name: 1, extra: true }));
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        errors: { name: [expect.any(String)], extra: [expect.any(String)] },
      });
    });
  });

  it('should pass a domain exception through with its code', async () => {
    expect(await call('GET', '/probe/domain')).toMatchObject({
      status: 400,
      body: { statusCode: 400, code: 'TOKEN_EXPIRED', message: 'This link has expired.' },
    });
  });

  describe('database unreachable', () => {
    it.each(['db-refused', 'db-admin-shutdown', 'db-pool-timeout'])(
      'should answer 503 SERVICE_UNAVAILABLE for %s without logging it as a bug',
      async (route) => {
        const answer = await call('GET', `/probe/${route}`);
        expect(answer.status).toBe(HttpStatus.SERVICE_UNAVAILABLE);
        expect(answer.body).toEqual({
          statusCode: 503,
          code: 'SERVICE_UNAVAILABLE',
          message: 'The service is temporarily unavailable. Try again shortly.',
        });
        expect(Logger.prototype.error).not.toHaveBeenCalled();
      },
    );
  });

  describe('unexpected errors', () => {
    it.each(['bug', 'thrown-string', 'db-unique-violation'])(
      'should answer %s with a bland 500 and log it',
      async (route) => {
        const answer = await call('GET', `/probe/${route}`);
        expect(answer.status).toBe(500);
        expect(answer.body).toEqual({
          statusCode: 500,
          code: 'INTERNAL_ERROR',
          message: 'An unexpected error occurred.',
        });
        expect(answer.text).not.toContain('secret-detail');
        expect(Logger.prototype.error).toHaveBeenCalledTimes(1);
        // With the request's id, so the line joins the request's own line.
        expect(Logger.prototype.error).toHaveBeenCalledWith(
          { req: expect.objectContaining({ id: expect.any(String), url: `/probe/${route}` }) },
          expect.any(String),
        );
      },
    );
  });
});
