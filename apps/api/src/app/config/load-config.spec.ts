import { ConfigError } from './config-error';
import { DEVELOPMENT_PASSWORD_PEPPER, loadConfig, loadMigrationConfig } from './load-config';

const productionEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://app@db:5432/app',
  SMTP_URL: 'smtp://mail:25',
  PORTAL_URL: 'https://accounts.example.org',
  JWT_SECRET: 'k3Jd9sP0qLm2Vx7RtY5wZ1aB4cN6eF8gH0iJ',
  PASSWORD_PEPPER: 'Qm8vT2xR5nW9pK3sL7dF1gH6jZ4cV0bY',
  MFA_ENCRYPTION_KEY: '3f9a1c7e5b2d8f4a6c0e9b7d5f3a1c8e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('should run on embedded defaults in development', () => {
    const config = loadConfig({});
    expect(config.nodeEnv).toBe('development');
    expect(config.database.url).toBeNull();
    expect(config.mail.smtpUrl).toBe('smtp://127.0.0.1:1025');
    expect(config.auth.jwtSecretGenerated).toBe(true);
    expect(config.auth.resetTokenTtlMinutes).toBe(15);
    expect(config.database.migrateOnStart).toBe(true);
  });

  it('should accept a complete production environment', () => {
    const config = loadConfig(productionEnv);
    expect(config.database.migrateOnStart).toBe(false);
    expect(config.seedDemoUser).toBe(false);
    expect(config.http.portalUrl).toBe('https://accounts.example.org');
  });

  it('should name every missing production variable', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const name of [
      'DATABASE_URL',
      'SMTP_URL',
      'PORTAL_URL',
      'JWT_SECRET',
      'PASSWORD_PEPPER',
    ]) {
      expect(problems.some((p) => p.startsWith(name))).toBe(true);
    }
  });

  it('should refuse a placeholder secret in production without echoing it', () => {
    const secret = 'please-change-me-please-change-me-123';
    const error = (() => {
      try {
        loadConfig({ ...productionEnv, JWT_SECRET: secret });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain('JWT_SECRET');
    expect(error?.message).not.toContain(secret);
  });

  it('should name a bad value without printing it', () => {
    const problems = problemsOf({
      RESET_TOKEN_TTL_MINUTES: '600',
      DATABASE_URL: 'mysql://u:hunter2@h/d',
    });
    expect(problems).toEqual([
      'DATABASE_URL must use postgres: or postgresql:',
      'RESET_TOKEN_TTL_MINUTES must be between 5 and 60',
    ]);
    expect(problems.join()).not.toContain('hunter2');
  });

  it('should use the fixed development pepper outside production and bound the hashing queue', () => {
    const config = loadConfig({});
    expect(config.auth.passwordPepper).toBe(DEVELOPMENT_PASSWORD_PEPPER);
    expect(config.auth.passwordPepperPrevious).toBeNull();
    expect(config.auth.hashQueueLimit).toBe(64);
    expect(loadConfig({ HASH_QUEUE_LIMIT: '0' }).auth.hashQueueLimit).toBe(0);
    expect(problemsOf({ HASH_QUEUE_LIMIT: '-1' })).toEqual([
      'HASH_QUEUE_LIMIT must be between 0 and 10000',
    ]);
  });

  it('should refuse a short, placeholder or development pepper in production without echoing it', () => {
    const previous = 'Zr4kP9wQ2mX7vB1nC6tY3hJ8sD5fG0aL';
    expect(loadConfig({ ...productionEnv, PASSWORD_PEPPER_PREVIOUS: previous }).auth).toMatchObject(
      { passwordPepper: productionEnv.PASSWORD_PEPPER, passwordPepperPrevious: previous },
    );
    for (const [pepper, problem] of [
      ['too-short-pepper', 'PASSWORD_PEPPER must be at least 32 characters'],
      [
        'please-change-me-please-change-me-123',
        'PASSWORD_PEPPER is a placeholder value; generate a random one',
      ],
      [
        DEVELOPMENT_PASSWORD_PEPPER,
        'PASSWORD_PEPPER is a placeholder value; generate a random one',
      ],
    ]) {
      const problems = problemsOf({ ...productionEnv, PASSWORD_PEPPER: pepper });
      expect(problems).toEqual([problem]);
      expect(problems.join()).not.toContain(pepper);
    }
    expect(
      problemsOf({
        ...productionEnv,
        PASSWORD_PEPPER_PREVIOUS: productionEnv.PASSWORD_PEPPER,
      }),
    ).toEqual(['PASSWORD_PEPPER_PREVIOUS must differ from PASSWORD_PEPPER']);
    // Outside production the development value is fine, a short pepper is not.
    expect(problemsOf({ PASSWORD_PEPPER: DEVELOPMENT_PASSWORD_PEPPER })).toEqual([]);
    expect(problemsOf({ PASSWORD_PEPPER_PREVIOUS: 'short' })).toEqual([
      'PASSWORD_PEPPER_PREVIOUS must be at least 32 characters',
    ]);
  });

  it('should count IPv6 clients per /64 and bound sign-ins per replica by default', () => {
    expect(loadConfig({}).rateLimitScope).toEqual({
      ipv6PrefixBits: 64,
      loginPerSecondPerReplica: 30,
      loginPerSecondShared: 0,
    });
    expect(
      loadConfig({
        RATE_LIMIT_IPV6_PREFIX: '48',
        RATE_LIMIT_LOGIN_GLOBAL_PER_SECOND: '12',
        RATE_LIMIT_LOGIN_SHARED_PER_SECOND: '40',
        REDIS_URL: 'redis://redis:6379',
      }).rateLimitScope,
    ).toEqual({ ipv6PrefixBits: 48, loginPerSecondPerReplica: 12, loginPerSecondShared: 40 });
  });

  it('should bound the client prefix and refuse a shared budget without Redis', () => {
    expect(
      problemsOf({
        RATE_LIMIT_IPV6_PREFIX: '16',
        RATE_LIMIT_LOGIN_GLOBAL_PER_SECOND: '0',
        RATE_LIMIT_LOGIN_SHARED_PER_SECOND: '40',
      }),
    ).toEqual([
      'RATE_LIMIT_IPV6_PREFIX must be between 32 and 128',
      'RATE_LIMIT_LOGIN_GLOBAL_PER_SECOND must be between 1 and 1000000',
      'RATE_LIMIT_LOGIN_SHARED_PER_SECOND needs REDIS_URL, where replicas share it',
    ]);
  });

  it('should reject short service keys', () => {
    expect(problemsOf({ SERVICE_API_KEYS: 'short' })).toEqual([
      'SERVICE_API_KEYS must hold keys of at least 16 characters',
    ]);
  });
});

describe('WEBHOOK_ENDPOINTS', () => {
  const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
  const other = 'whsec_' + Buffer.alloc(24, 9).toString('base64');

  it('should have no endpoints by default', () => {
    expect(loadConfig({}).webhooks).toEqual({
      endpoints: [],
      retryLimit: 12,
      retryDelaySeconds: 5,
      workerConcurrency: 4,
    });
  });

  it('should read URL=secret pairs, with = in a query and spaces around entries', () => {
    const config = loadConfig({
      WEBHOOK_ENDPOINTS: ` https://hooks.example.org/in?team=a&x=1=${secret} , http://127.0.0.1:9000=${other},`,
    });
    expect(config.webhooks.endpoints).toEqual([
      { url: 'https://hooks.example.org/in?team=a&x=1', secret },
      { url: 'http://127.0.0.1:9000/', secret: other },
    ]);
  });

  it('should name each bad entry by position without printing URL or secret', () => {
    const badSecret = 'whsec_c2hvcnQ=';
    const problems = problemsOf({
      WEBHOOK_ENDPOINTS: [
        `ftp://files.example.org/drop=${secret}`,
        `https://hooks.example.org/a=${badSecret}`,
        `https://hooks.example.org/b`,
        `not a url=${secret}`,
        `https://user:hunter2@hooks.example.org/c=${secret}`,
        `https://hooks.example.org/d=${secret}`,
        `https://hooks.example.org/d=${other}`,
      ].join(','),
    });
    expect(problems).toEqual([
      'WEBHOOK_ENDPOINTS entry 1 must use http: or https:',
      'WEBHOOK_ENDPOINTS entry 2 needs a whsec_ secret of 24 to 64 bytes in base64',
      'WEBHOOK_ENDPOINTS entry 3 must be URL=whsec_<base64 secret>',
      'WEBHOOK_ENDPOINTS entry 4 must start with a URL',
      'WEBHOOK_ENDPOINTS entry 5 must not carry credentials in the URL; the signature authenticates',
      'WEBHOOK_ENDPOINTS entry 7 repeats an earlier endpoint',
    ]);
    const text = problems.join('\n');
    for (const leaked of [secret, other, badSecret, 'hunter2', 'hooks.example.org', 'files']) {
      expect(text).not.toContain(leaked);
    }
  });

  it('should require https in production except on this host', () => {
    const production = (endpoints: string) =>
      problemsOf({ ...productionEnv, WEBHOOK_ENDPOINTS: endpoints });
    expect(production(`http://hooks.internal/in=${secret}`)).toEqual([
      'WEBHOOK_ENDPOINTS entry 1 must use https in production (http only for localhost)',
    ]);
    expect(
      production(
        `https://hooks.example.org/in=${secret},http://localhost:8080/=${other},http://[::1]:81/x=${secret}`,
      ),
    ).toEqual([]);
    expect(problemsOf({ WEBHOOK_ENDPOINTS: `http://hooks.internal/in=${secret}` })).toEqual([]);
  });

  it('should refuse the published example secret in production only', () => {
    const example = 'https://hooks.example.org/in=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(problemsOf({ ...productionEnv, WEBHOOK_ENDPOINTS: example })).toEqual([
      'WEBHOOK_ENDPOINTS entry 1 uses the published example secret; generate a random one',
    ]);
    expect(problemsOf({ WEBHOOK_ENDPOINTS: example })).toEqual([]);
  });

  it('should bound the retry and worker settings', () => {
    expect(
      problemsOf({
        WEBHOOK_RETRY_LIMIT: '51',
        WEBHOOK_RETRY_DELAY_SECONDS: '0',
        WEBHOOK_WORKER_CONCURRENCY: 'many',
      }),
    ).toEqual([
      'WEBHOOK_RETRY_LIMIT must be between 0 and 50',
      'WEBHOOK_RETRY_DELAY_SECONDS must be between 1 and 3600',
      'WEBHOOK_WORKER_CONCURRENCY must be a whole number',
    ]);
  });
});

describe('TRUST_PROXY', () => {
  it('should trust no proxy by default', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).http.trustProxy).toBe(false);
  });

  it('should refuse true, saying what to set instead', () => {
    for (const value of ['true', 'TRUE', 'yes']) {
      const problems = problemsOf({ TRUST_PROXY: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^TRUST_PROXY=true would let every client choose/);
      expect(problems[0]).toContain('number of proxies');
      expect(problems[0]).toContain('addresses');
    }
  });

  it('should read a hop count', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: ' 2 ' }).http.trustProxy).toBe(2);
    expect(problemsOf({ TRUST_PROXY: '11' })).toEqual([
      'TRUST_PROXY must be a hop count from 1 to 10',
    ]);
  });

  it('should read a list of addresses, CIDR ranges and named ranges', () => {
    expect(
      loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8 ,::1,uniquelocal, loopback' }).http
        .trustProxy,
    ).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', '::1', 'uniquelocal', 'loopback']);
  });

  it('should name each bad entry by position without printing it', () => {
    const problems = problemsOf({
      TRUST_PROXY: '10.0.0.1,proxy.internal,10.0.0.0/33,0.0.0.0/0,::/0,1.2.3.4/8/9,fd00::/129',
    });
    expect(problems).toEqual([
      'TRUST_PROXY entry 2 must be an IP address, a CIDR range (address/prefix) or one of loopback, linklocal, uniquelocal',
      'TRUST_PROXY entry 3 has a prefix length that is not 0 to 32',
      expect.stringMatching(/^TRUST_PROXY entry 4 trusts every address; set the number/),
      expect.stringMatching(/^TRUST_PROXY entry 5 trusts every address; set the number/),
      'TRUST_PROXY entry 6 must be an IP address, a CIDR range (address/prefix) or one of loopback, linklocal, uniquelocal',
      'TRUST_PROXY entry 7 has a prefix length that is not 0 to 128',
    ]);
    expect(problems.join()).not.toContain('proxy.internal');
  });
});

describe('production deploy guards', () => {
  it('should refuse the mail catcher as SMTP relay without the local-trial opt-in', () => {
    for (const smtpUrl of [
      'smtp://mail-catcher:1025',
      'smtp://mail-catcher:25',
      'smtp://127.0.0.1:1025',
      'smtp://localhost:1025',
      'smtp://maildev.internal:25',
      'smtp://MailPit',
    ]) {
      expect([smtpUrl, problemsOf({ ...productionEnv, SMTP_URL: smtpUrl })]).toEqual([
        smtpUrl,
        [
          'SMTP_URL must be a real relay, not a mail catcher, in production (a local trial sets ALLOW_INSECURE_LOCAL_TRIAL=true)',
        ],
      ]);
    }
  });

  it('should refuse an http PORTAL_URL without the local-trial opt-in', () => {
    expect(problemsOf({ ...productionEnv, PORTAL_URL: 'http://accounts.example.org' })).toEqual([
      'PORTAL_URL must use https: in production (a local trial sets ALLOW_INSECURE_LOCAL_TRIAL=true)',
    ]);
  });

  it('should accept both with ALLOW_INSECURE_LOCAL_TRIAL=true, and say so in the config', () => {
    const config = loadConfig({
      ...productionEnv,
      SMTP_URL: 'smtp://mail-catcher:1025',
      PORTAL_URL: 'http://localhost:8080',
      ALLOW_INSECURE_LOCAL_TRIAL: 'true',
    });
    expect(config.mail.smtpUrl).toBe('smtp://mail-catcher:1025');
    expect(config.http.portalUrl).toBe('http://localhost:8080');
    expect(config.insecureLocalTrial).toBe(true);
    expect(loadConfig(productionEnv).insecureLocalTrial).toBe(false);
  });

  it('should not apply outside production', () => {
    expect(problemsOf({ SMTP_URL: 'smtp://127.0.0.1:1025', PORTAL_URL: 'http://x.test' })).toEqual(
      [],
    );
    expect(loadConfig({ ALLOW_INSECURE_LOCAL_TRIAL: 'true' }).insecureLocalTrial).toBe(false);
  });

  it('should accept a relay that merely looks like mail', () => {
    for (const smtpUrl of ['smtp://mail:25', 'smtps://smtp.mail.example.org:465']) {
      expect(problemsOf({ ...productionEnv, SMTP_URL: smtpUrl })).toEqual([]);
    }
  });
});

describe('HOST and API_DOCS', () => {
  it('should bind loopback unless told otherwise, in every environment', () => {
    expect(loadConfig({}).http.host).toBe('127.0.0.1');
    expect(loadConfig(productionEnv).http.host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).http.host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::' }).http.host).toBe('::');
    expect(problemsOf({ HOST: 'every interface' })).toEqual([
      'HOST must be an IP address (127.0.0.1, 0.0.0.0, ::) or localhost',
    ]);
  });

  it('should serve the API docs outside production, and in production only when public', () => {
    expect(loadConfig({}).http.apiDocs).toBe(true);
    expect(loadConfig({ API_DOCS: 'off' }).http.apiDocs).toBe(false);
    expect(loadConfig(productionEnv).http.apiDocs).toBe(false);
    expect(loadConfig({ ...productionEnv, API_DOCS: 'public' }).http.apiDocs).toBe(true);
    expect(problemsOf({ API_DOCS: 'internal' })).toEqual(['API_DOCS must be public or off']);
  });
});

describe('retention', () => {
  it('should keep tokens 30 days, delivered webhooks 7, events 365, finished jobs an hour then 48 h', () => {
    expect(loadConfig({}).retention).toEqual({
      tokenDays: 30,
      webhookEventDays: 7,
      eventDays: 365,
      jobArchiveAfterSeconds: 3600,
      jobDeleteAfterHours: 48,
      purgeIntervalMinutes: 60,
    });
  });

  it('should read and bound every retention variable', () => {
    expect(
      loadConfig({
        TOKEN_RETENTION_DAYS: '90',
        WEBHOOK_RETENTION_DAYS: '1',
        EVENTS_RETENTION_DAYS: '3650',
        JOB_ARCHIVE_AFTER_SECONDS: '600',
        JOB_RETENTION_HOURS: '24',
        RETENTION_PURGE_INTERVAL_MINUTES: '15',
      }).retention,
    ).toEqual({
      tokenDays: 90,
      webhookEventDays: 1,
      eventDays: 3650,
      jobArchiveAfterSeconds: 600,
      jobDeleteAfterHours: 24,
      purgeIntervalMinutes: 15,
    });
    expect(loadConfig({ EVENTS_RETENTION_DAYS: '30' }).retention.eventDays).toBe(30);
    expect(
      problemsOf({
        TOKEN_RETENTION_DAYS: '0',
        WEBHOOK_RETENTION_DAYS: 'forever',
        EVENTS_RETENTION_DAYS: '29',
        JOB_ARCHIVE_AFTER_SECONDS: '59',
        JOB_RETENTION_HOURS: '8761',
        RETENTION_PURGE_INTERVAL_MINUTES: '0',
      }),
    ).toEqual([
      'TOKEN_RETENTION_DAYS must be between 1 and 3650',
      'WEBHOOK_RETENTION_DAYS must be a whole number',
      'EVENTS_RETENTION_DAYS must be between 30 and 3650',
      'JOB_ARCHIVE_AFTER_SECONDS must be between 60 and 604800',
      'JOB_RETENTION_HOURS must be between 1 and 8760',
      'RETENTION_PURGE_INTERVAL_MINUTES must be between 1 and 1440',
    ]);
  });
});

describe('DEFAULT_LOCALE', () => {
  it('should write emails in English unless told otherwise', () => {
    expect(loadConfig({}).mail.defaultLocale).toBe('en');
    expect(loadConfig({ DEFAULT_LOCALE: 'ja' }).mail.defaultLocale).toBe('ja');
  });

  it('should refuse a locale the product does not ship, naming the ones it does', () => {
    for (const value of ['pt', 'EN', 'de-DE']) {
      expect(problemsOf({ DEFAULT_LOCALE: value })).toEqual([
        'DEFAULT_LOCALE must be one of en, de, fr, es, ja, ar',
      ]);
    }
  });
});

describe('PROCESS_ROLE', () => {
  const DATABASE_URL = 'postgres://app@db:5432/app';

  it('should run API and workers in one process by default', () => {
    const config = loadConfig({});
    expect(config.process).toEqual({ role: 'all', workerHealthPort: 3001, workerNice: 10 });
    expect(config.mail.workerConcurrency).toBe(16);
    expect(config.webhooks.workerConcurrency).toBe(4);
  });

  it('should run no job worker in an API-only process', () => {
    const config = loadConfig({ PROCESS_ROLE: 'api', MAIL_WORKER_CONCURRENCY: '8', DATABASE_URL });
    expect(config.process.role).toBe('api');
    expect(config.mail.workerConcurrency).toBe(0);
    expect(config.webhooks.workerConcurrency).toBe(0);
  });

  it('should keep the worker settings of a worker process', () => {
    const config = loadConfig({
      PROCESS_ROLE: 'worker',
      MAIL_WORKER_CONCURRENCY: '8',
      WORKER_HEALTH_PORT: '9101',
      WORKER_NICE: '0',
      DATABASE_URL,
    });
    expect(config.process).toEqual({ role: 'worker', workerHealthPort: 9101, workerNice: 0 });
    expect(config.mail.workerConcurrency).toBe(8);
  });

  it('should refuse an unknown role, a worker that sends nothing and a bad health port', () => {
    expect(problemsOf({ PROCESS_ROLE: 'both' })).toEqual([
      'PROCESS_ROLE must be one of api, worker, all',
    ]);
    expect(
      problemsOf({ PROCESS_ROLE: 'worker', MAIL_WORKER_CONCURRENCY: '0', DATABASE_URL }),
    ).toEqual(['MAIL_WORKER_CONCURRENCY must be above 0 when PROCESS_ROLE is worker']);
    expect(
      problemsOf({ PROCESS_ROLE: 'worker', WORKER_HEALTH_PORT: '3000', DATABASE_URL }),
    ).toEqual(['WORKER_HEALTH_PORT must differ from PORT']);
    expect(problemsOf({ PROCESS_ROLE: 'api', MAIL_WORKER_CONCURRENCY: 'x', DATABASE_URL })).toEqual(
      ['MAIL_WORKER_CONCURRENCY must be a whole number'],
    );
  });

  it('should need a shared database for a process of one role', () => {
    expect(problemsOf({ PROCESS_ROLE: 'worker' })).toEqual([
      'DATABASE_URL is required when PROCESS_ROLE is worker',
    ]);
    expect(problemsOf({ PROCESS_ROLE: 'api' })).toEqual([
      'DATABASE_URL is required when PROCESS_ROLE is api',
    ]);
  });
});

describe('loadMigrationConfig', () => {
  it('should need only DATABASE_URL in production', () => {
    expect(
      loadMigrationConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/app' }).database
        .url,
    ).toBe('postgres://db/app');
    expect(() => loadMigrationConfig({ NODE_ENV: 'production' })).toThrow(
      'DATABASE_URL is required in production',
    );
  });
});
