import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import { isLocalAddress } from './pwned-passwords-url';

/** PASSWORD_MIN_LENGTH, PASSWORD_HISTORY and PWNED_PASSWORDS_URL (load-config.spec.ts: the rest). */
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

describe('password rules configuration', () => {
  it('should default to 15 characters, the current password only, and no breach corpus', () => {
    expect(loadConfig({}).passwordRules).toEqual({
      minLength: 15,
      history: 1,
      pwnedPasswordsUrl: null,
    });
  });

  it('should read and bound the minimum length and the history', () => {
    const rules = loadConfig({ PASSWORD_MIN_LENGTH: '8', PASSWORD_HISTORY: '0' }).passwordRules;
    expect(rules).toMatchObject({ minLength: 8, history: 0 });
    expect(
      loadConfig({ PASSWORD_MIN_LENGTH: '64', PASSWORD_HISTORY: '24' }).passwordRules,
    ).toMatchObject({ minLength: 64, history: 24 });
    expect(problemsOf({ PASSWORD_MIN_LENGTH: '7', PASSWORD_HISTORY: '25' })).toEqual([
      'PASSWORD_MIN_LENGTH must be between 8 and 64',
      'PASSWORD_HISTORY must be between 0 and 24',
    ]);
    expect(problemsOf({ PASSWORD_MIN_LENGTH: '65', PASSWORD_HISTORY: 'three' })).toEqual([
      'PASSWORD_MIN_LENGTH must be between 8 and 64',
      'PASSWORD_HISTORY must be a whole number',
    ]);
  });

  it('should keep the base of the range API without trailing slashes', () => {
    const url = (value: string) => loadConfig({ PWNED_PASSWORDS_URL: value }).passwordRules;
    expect(url('https://api.pwnedpasswords.com').pwnedPasswordsUrl).toBe(
      'https://api.pwnedpasswords.com',
    );
    expect(url('http://mirror.internal:8080/hibp/').pwnedPasswordsUrl).toBe(
      'http://mirror.internal:8080/hibp',
    );
  });

  it('should refuse another scheme, credentials, a query or fragment, naming only the variable', () => {
    const secret = 'hunter2-in-the-url';
    for (const [value, problem] of [
      ['not a url', 'PWNED_PASSWORDS_URL must be a URL'],
      ['ftp://mirror.internal/', 'PWNED_PASSWORDS_URL must use http: or https:'],
      [`https://me:${secret}@mirror.internal/`, 'PWNED_PASSWORDS_URL must not contain a user'],
      [`https://mirror.internal/?key=${secret}`, 'PWNED_PASSWORDS_URL must be a base URL'],
      [`https://mirror.internal/#${secret}`, 'PWNED_PASSWORDS_URL must be a base URL'],
    ]) {
      const problems = problemsOf({ PWNED_PASSWORDS_URL: value });
      expect(problems).toEqual([expect.stringContaining(problem)]);
      expect(problems.join()).not.toContain(secret);
      expect(problems.join()).not.toContain('mirror.internal');
    }
  });

  it('should require https in production except on a loopback or private IP address', () => {
    const production = (value: string, extra: Record<string, string> = {}) =>
      problemsOf({ ...productionEnv, PWNED_PASSWORDS_URL: value, ...extra });
    const refusal =
      'PWNED_PASSWORDS_URL must use https in production (http only for a loopback or private IP address)';
    expect(production('http://mirror.internal:8080')).toEqual([refusal]);
    expect(production('http://8.8.8.8')).toEqual([refusal]);
    for (const local of [
      'https://api.pwnedpasswords.com',
      'http://127.0.0.1:8080',
      'http://localhost:8080',
      'http://10.1.2.3',
      'http://172.20.0.5:81',
      'http://192.168.1.10',
      'http://[::1]:8080',
      'http://[fd12:3456::1]',
    ]) {
      expect(production(local)).toEqual([]);
    }
    expect(production('http://mirror.internal', { ALLOW_INSECURE_LOCAL_TRIAL: 'true' })).toEqual(
      [],
    );
    expect(problemsOf({ PWNED_PASSWORDS_URL: 'http://mirror.internal' })).toEqual([]);
  });

  it('should tell private and loopback addresses from public ones', () => {
    expect(
      ['172.15.0.1', '172.32.0.1', '192.169.0.1', '11.0.0.1', 'fe80::1', 'example.org'].some(
        isLocalAddress,
      ),
    ).toBe(false);
  });
});
