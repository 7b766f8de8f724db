import { randomInt } from 'node:crypto';

import { ApiProcess, freePort, MailCatcher } from '@account-recovery/testing';

import { E2E_REDIS_URL, reachable } from './support/redis-reachable';

describe('per-IP rate limits', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      RATE_LIMIT_FORGOT_PER_MINUTE: '3',
      RATE_LIMIT_LOGIN_PER_MINUTE: '2',
    });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  it('should answer 429 with Retry-After in the contract shape once an IP spends its budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push(
        (await api.post('/api/v1/auth/forgot-password', { email: `ip${i}@example.com` })).status,
      );
    }
    expect(statuses).toEqual([202, 202, 202]);
    const limited = await api.post('/api/v1/auth/forgot-password', { email: 'ip4@example.com' });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: expect.any(String),
    });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('should ignore X-Forwarded-For unless TRUST_PROXY is set', async () => {
    const spoofed = await api.post(
      '/api/v1/auth/forgot-password',
      { email: 'spoof@example.com' },
      { 'x-forwarded-for': '203.0.113.9' },
    );
    expect(spoofed.status).toBe(429);
  });

  it('should count each endpoint on its own budget', async () => {
    const logins = [];
    for (let i = 0; i < 3; i += 1) {
      logins.push(
        (
          await api.post('/api/v1/auth/login', {
            email: 'x@example.com',
            password: 'whatever it is',
          })
        ).status,
      );
    }
    expect(logins).toEqual([401, 401, 429]);
    expect(
      (await api.post('/api/v1/auth/reset-password/validate', { token: 'A'.repeat(43) })).status,
    ).toBe(400);
  });

  it('should count per forwarded client behind a trusted proxy', async () => {
    const proxied = await ApiProcess.start({
      SMTP_URL: mail.url,
      TRUST_PROXY: '127.0.0.1',
      RATE_LIMIT_FORGOT_PER_MINUTE: '1',
    });
    try {
      const forgot = (ip: string) =>
        proxied.post(
          '/api/v1/auth/forgot-password',
          { email: 'p@example.com' },
          { 'x-forwarded-for': ip },
        );
      expect((await forgot('198.51.100.1')).status).toBe(202);
      expect((await forgot('198.51.100.1')).status).toBe(429);
      expect((await forgot('198.51.100.2')).status).toBe(202);
    } finally {
      await proxied.stop();
    }
  });

  it('should keep limiting, and never fail a request, when Redis is unreachable', async () => {
    const api2 = await ApiProcess.start({
      SMTP_URL: mail.url,
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      RATE_LIMIT_FORGOT_PER_MINUTE: '2',
    });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i += 1) {
        statuses.push(
          (await api2.post('/api/v1/auth/forgot-password', { email: 'r@example.com' })).status,
        );
      }
      expect(statuses).toEqual([202, 202, 429]);
    } finally {
      await api2.stop();
    }
  });

  it('should share one budget across replicas through Redis', async () => {
    const redisUrl = E2E_REDIS_URL;
    if (!(await reachable(new URL(redisUrl)))) {
      // Laptops have no Redis; CI machines do (127.0.0.1:6379), and there this case runs.
      console.warn(`Redis not reachable at ${redisUrl}: shared-counter case not exercised`);
      return;
    }
    const env = {
      SMTP_URL: mail.url,
      REDIS_URL: redisUrl,
      TRUST_PROXY: '127.0.0.1',
      RATE_LIMIT_FORGOT_PER_MINUTE: '2',
    };
    const [a, b] = await Promise.all([ApiProcess.start(env), ApiProcess.start(env)]);
    // A fresh client address per run: counters in a shared Redis outlive a test run.
    const client = { 'x-forwarded-for': `198.18.${randomInt(256)}.${randomInt(1, 255)}` };
    try {
      const forgot = (api: ApiProcess) =>
        api.post('/api/v1/auth/forgot-password', { email: 'shared@example.com' }, client);
      expect((await forgot(a)).status).toBe(202);
      expect((await forgot(b)).status).toBe(202);
      expect((await forgot(a)).status).toBe(429);
      expect((await forgot(b)).status).toBe(429);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
