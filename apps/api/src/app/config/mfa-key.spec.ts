import { randomBytes } from 'node:crypto';

import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import { DEVELOPMENT_MFA_KEY } from './mfa-key';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://app@db:5432/app',
  SMTP_URL: 'smtp://mail:25',
  PORTAL_URL: 'https://accounts.example.org',
  JWT_SECRET: 'k3Jd9sP0qLm2Vx7RtY5wZ1aB4cN6eF8gH0iJ',
  PASSWORD_PEPPER: 'Qm8vT2xR5nW9pK3sL7dF1gH6jZ4cV0bY',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('MFA_ENCRYPTION_KEY', () => {
  it('should keep one fixed development key, so enrolled factors survive a restart', () => {
    expect(loadConfig({}).mfa.encryptionKey).toBe(DEVELOPMENT_MFA_KEY);
    expect(loadConfig({}).mfa.encryptionKey).toBe(loadConfig({}).mfa.encryptionKey);
  });

  it('should read 32 bytes as hex or base64, to the same key', () => {
    const key = randomBytes(32);
    const fromHex = loadConfig({ MFA_ENCRYPTION_KEY: key.toString('hex') }).mfa.encryptionKey;
    const fromBase64 = loadConfig({ MFA_ENCRYPTION_KEY: key.toString('base64') }).mfa.encryptionKey;
    expect(fromHex).toBe(key.toString('hex'));
    expect(fromBase64).toBe(fromHex);
  });

  it('should be required in production and refuse short, placeholder or development keys without echoing them', () => {
    expect(problemsOf(production)).toEqual(['MFA_ENCRYPTION_KEY is required in production']);
    for (const [key, problem] of [
      ['too-short', 'MFA_ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64'],
      ['0'.repeat(64), 'MFA_ENCRYPTION_KEY is a placeholder value; generate a random one'],
      [DEVELOPMENT_MFA_KEY, 'MFA_ENCRYPTION_KEY is a placeholder value; generate a random one'],
    ] as const) {
      const problems = problemsOf({ ...production, MFA_ENCRYPTION_KEY: key });
      expect(problems).toEqual([problem]);
      expect(problems.join()).not.toContain(key);
    }
    expect(
      problemsOf({ ...production, MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex') }),
    ).toEqual([]);
  });
});
