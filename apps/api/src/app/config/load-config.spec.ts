import { ConfigError } from './config-error';
import { loadConfig, loadMigrationConfig } from './load-config';

const productionEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://app@db:5432/app',
  SMTP_URL: 'smtp://mail:25',
  PORTAL_URL: 'https://accounts.example.org',
  JWT_SECRET: 'k3Jd9sP0qLm2Vx7RtY5wZ1aB4cN6eF8gH0iJ',
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
    for (const name of ['DATABASE_URL', 'SMTP_URL', 'PORTAL_URL', 'JWT_SECRET']) {
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

describe('PROCESS_ROLE', () => {
  const DATABASE_URL = 'postgres://app@db:5432/app';

  it('should run API and workers in one process by default', () => {
    const config = loadConfig({});
    expect(config.process).toEqual({ role: 'all', workerHealthPort: 3001 });
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
      DATABASE_URL,
    });
    expect(config.process).toEqual({ role: 'worker', workerHealthPort: 9101 });
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
