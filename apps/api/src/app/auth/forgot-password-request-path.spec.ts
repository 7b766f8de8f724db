import { FORGOT_PASSWORD_MESSAGE } from '@account-recovery/contracts';

import { ConfigModule } from '@nestjs/config';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';

import { configureHttp } from '../bootstrap/configure-app';
import { SCHEMA_CHECK_SERVER_OPTIONS } from '../common/validation/schema-checked-body';
import { loadConfig } from '../config/load-config';
import { SecurityEvents } from '../events/security-events.service';
import { MailSender } from '../mail/mail-sender.service';
import { Metrics } from '../metrics/metrics.service';
import { ResetSecondFactor } from '../mfa/reset-second-factor';
import { SecondFactors } from '../mfa/second-factor.service';
import { AccountEmailJob } from '../queue/account-email.job';
import { JobQueue } from '../queue/job-queue.service';
import { WebhookPublisher } from '../webhooks/webhook-publisher.service';
import { PasswordHasher } from './password-hasher.service';
import { PasswordHistory } from './password-history';
import { PasswordPolicy } from './password-policy.service';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetService } from './password-reset.service';
import { RateLimitCounters } from './rate-limit-counters';
import { RateLimitGuard } from './rate-limit.guard';
import { ResetCodes } from './reset-code.service';

/**
 * The forgot-password request path must be the same for every address: validate, enqueue,
 * answer. This proves it without a clock: every collaborator that could tell a known
 * address from an unknown one (the database, the hasher, the mailer) is a recorder that
 * fails the test if touched, and the calls made are compared between the two kinds.
 */
describe('forgot-password request path', () => {
  let app: NestFastifyApplication;
  const touched: string[] = [];
  const enqueued: AccountEmailJob[] = [];

  /** Nest probes providers for these while it builds the app; they are not "use". */
  const introspection = new Set([
    'then',
    'constructor',
    'onModuleInit',
    'onApplicationBootstrap',
    'onModuleDestroy',
    'beforeApplicationShutdown',
    'onApplicationShutdown',
  ]);

  /** Every other property read on it is recorded, and calling it throws. */
  function tripwire<T extends object>(name: string): T {
    return new Proxy({} as T, {
      get: (_target, property) => {
        if (typeof property !== 'string' || introspection.has(property)) return undefined;
        touched.push(`${name}.${property}`);
        return () => {
          throw new Error(`${name}.${property} used on the request path`);
        };
      },
    });
  }

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => config] }),
      ],
      controllers: [PasswordResetController],
      providers: [
        PasswordResetService,
        Metrics,
        RateLimitCounters,
        RateLimitGuard,
        { provide: DataSource, useValue: tripwire<DataSource>('database') },
        { provide: PasswordHasher, useValue: tripwire<PasswordHasher>('hasher') },
        { provide: PasswordPolicy, useValue: tripwire<PasswordPolicy>('policy') },
        { provide: PasswordHistory, useValue: tripwire<PasswordHistory>('history') },
        { provide: MailSender, useValue: tripwire<MailSender>('mailer') },
        { provide: WebhookPublisher, useValue: tripwire<WebhookPublisher>('webhooks') },
        { provide: ResetCodes, useValue: tripwire<ResetCodes>('reset codes') },
        // The request is recorded where it is decided (the worker), never on this path.
        { provide: SecurityEvents, useValue: tripwire<SecurityEvents>('security events') },
        { provide: SecondFactors, useValue: tripwire<SecondFactors>('second factors') },
        { provide: ResetSecondFactor, useValue: tripwire<ResetSecondFactor>('reset factor') },
        {
          provide: JobQueue,
          useValue: {
            enqueue: async (job: AccountEmailJob) => {
              enqueued.push(job);
              return 'job-id';
            },
          },
        },
      ],
    }).compile();
    // As the real server is built (bootstrap/http-api.ts): JSON through our own parser only,
    // route schemas compiled by an Ajv that only looks.
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter(SCHEMA_CHECK_SERVER_OPTIONS),
      { bodyParser: false },
    );
    await configureHttp(app, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    touched.length = 0;
  });

  afterAll(async () => {
    await app?.close();
  });

  async function forgot(email: unknown) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/forgot-password',
      headers: { 'content-type': 'application/json', 'user-agent': 'spec' },
      payload: JSON.stringify({ email }),
    });
    return { status: response.statusCode, body: response.body };
  }

  it('should only enqueue, for a known and an unknown address alike', async () => {
    const known = await forgot('demo@example.com');
    const unknown = await forgot('nobody-at-all@example.com');

    expect(touched).toEqual([]);
    expect(known).toEqual({
      status: 202,
      body: JSON.stringify({ message: FORGOT_PASSWORD_MESSAGE }),
    });
    expect(unknown).toEqual(known);
    expect(enqueued).toHaveLength(2);
    const shape = (job: AccountEmailJob) => Object.keys(job).sort();
    expect(shape(enqueued[0])).toEqual(shape(enqueued[1]));
    expect(enqueued.map((job) => job.kind)).toEqual(['reset-request', 'reset-request']);
  });

  it('should enqueue nothing for a request it refuses', async () => {
    const before = enqueued.length;
    expect((await forgot(['a@example.com', 'b@example.com'])).status).toBe(400);
    expect((await forgot('not an address')).status).toBe(400);
    expect(enqueued).toHaveLength(before);
    expect(touched).toEqual([]);
  });
});
