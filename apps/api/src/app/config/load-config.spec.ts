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
