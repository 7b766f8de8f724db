import {
  ApiProcess,
  HttpResult,
  MailCatcher,
  SERVER_URL_ENV,
  TcpProxy,
} from '@account-recovery/testing';

const API_KEY = 'e2e-outage-key-0123456789';
const OUTAGE_MS = 10_000;

describe('PostgreSQL unreachable for 10 s during traffic', () => {
  const mail = new MailCatcher();
  let proxy: TcpProxy;
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    const server = new URL(process.env[SERVER_URL_ENV] ?? '');
    proxy = new TcpProxy(server.hostname, Number(server.port || 5432));
    await proxy.start();
    api = await ApiProcess.start(
      { SMTP_URL: mail.url, SERVICE_API_KEYS: API_KEY },
      {
        databaseVia: (url) => {
          url.host = `127.0.0.1:${proxy.port}`;
          return url;
        },
      },
    );
  });

  afterAll(async () => {
    await api?.stop();
    await proxy?.stop();
    await mail.stop();
  });

  /** Requests must come back (fail fast), never hang: a request still open after 8 s fails the test. */
  const bounded = (request: Promise<HttpResult>) =>
    Promise.race([
      request,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('request hung')), 8000)),
    ]);

  it('should answer 503 while it is down, recover by itself, and lose no accepted job', async () => {
    const email = 'outage@example.com';
    expect((await api.post('/api/v1/users', { email }, { 'x-api-key': API_KEY })).status).toBe(201);
    await mail.waitFor(email);
    expect((await api.post('/api/v1/auth/forgot-password', { email })).status).toBe(202);

    await proxy.cut();
    const seen = new Map<string, Set<number>>();
    const note = (what: string, result: HttpResult) => {
      if (!seen.has(what)) seen.set(what, new Set());
      seen.get(what)?.add(result.status);
      if (result.status >= 500) expect(result.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    };
    const until = Date.now() + OUTAGE_MS;
    while (Date.now() < until) {
      note('forgot', await bounded(api.post('/api/v1/auth/forgot-password', { email })));
      note(
        'validate',
        await bounded(api.post('/api/v1/auth/reset-password/validate', { token: 'A'.repeat(43) })),
      );
      note(
        'login',
        await bounded(api.post('/api/v1/auth/login', { email, password: 'some password here' })),
      );
      note('ready', await bounded(api.get('/api/health/ready')));
      note('live', await bounded(api.get('/api/health/live')));
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(seen.get('forgot')).toEqual(new Set([503]));
    expect(seen.get('validate')).toEqual(new Set([503]));
    expect(seen.get('login')).toEqual(new Set([503]));
    expect(seen.get('ready')).toEqual(new Set([503]));
    expect(seen.get('live')).toEqual(new Set([200]));

    await proxy.restore();
    const deadline = Date.now() + 30_000;
    while ((await api.get('/api/health/ready')).status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect((await api.get('/api/health/ready')).status).toBe(200);

    const after = mail.mark();
    expect((await api.post('/api/v1/auth/forgot-password', { email })).status).toBe(202);
    await mail.waitFor(email, {
      after,
      timeoutMs: 30_000,
      predicate: (m) => m.subject.includes('Reset'),
    });
    // Every accepted job ran to completion. A request superseded by a newer one completes
    // without a second email: the newest link is the one that counts.
    const open = async () =>
      (
        await api.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM pgboss.job
                    WHERE name = 'account-email' AND state <> 'completed')::int
                + (SELECT count(*) FROM reset_request_intake)::int AS n`,
        )
      )[0].n;
    // A job claimed just before the cut could not be acknowledged: it is retried once its
    // claim expires (30 s) and maintenance (every 15 s) notices, so allow up to a minute.
    const waitAll = Date.now() + 60_000;
    while ((await open()) > 0 && Date.now() < waitAll) await new Promise((r) => setTimeout(r, 250));
    expect(await open()).toBe(0);
    expect(
      api.logs.some((line) => line.includes('"statusCode":500') || line.includes('"status":500')),
    ).toBe(false);
  });
});
