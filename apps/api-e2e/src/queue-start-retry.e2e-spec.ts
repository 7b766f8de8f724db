import { ApiProcess, SERVER_URL_ENV, TcpProxy } from '@account-recovery/testing';

import { ROUTES } from './support/service-api';

/**
 * An API-only process starts its job queue at the first enqueue (or readiness probe). If
 * the database is unreachable just then, that start fails; it must be tried again once
 * the database is back instead of answering 503 to every forgot-password from then on.
 */
describe('an API-only process whose database is cut when its queue first starts', () => {
  let proxy: TcpProxy;
  let api: ApiProcess;

  beforeAll(async () => {
    const server = new URL(process.env[SERVER_URL_ENV] ?? '');
    proxy = new TcpProxy(server.hostname, Number(server.port || 5432));
    await proxy.start();
    api = await ApiProcess.start(
      // MAIL_WORKER_CONCURRENCY=0 is how an API-only process was configured before roles.
      { PROCESS_ROLE: 'api', MAIL_WORKER_CONCURRENCY: '0', WEBHOOK_WORKER_CONCURRENCY: '0' },
      {
        databaseVia: (url) => {
          url.host = `127.0.0.1:${proxy.port}`;
          return url;
        },
        // Not ready: a readiness probe would start the queue before the cut.
        waitFor: 'live',
      },
    );
  });

  afterAll(async () => {
    await api?.stop();
    await proxy?.stop();
  });

  it('should answer 503 and say the queue is not ready during the outage, then recover', async () => {
    const email = 'first.start@example.com';
    await proxy.cut();

    const during = await api.post(ROUTES.forgot, { email });
    expect(during.status).toBe(503);
    const notReady = await api.get(ROUTES.ready);
    expect(notReady.status).toBe(503);

    await proxy.restore();
    // The first forgot-password after the outage may still meet the retry interval or the
    // request pool's reconnect; within a few seconds every one must be accepted.
    const statuses: number[] = [];
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const status = (await api.post(ROUTES.forgot, { email })).status;
      statuses.push(status);
      if (status === 202) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(statuses.at(-1)).toBe(202);
    for (let i = 0; i < 5; i++) expect((await api.post(ROUTES.forgot, { email })).status).toBe(202);

    // What readiness said during the outage: the queue, by name.
    expect(notReady.body).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      checks: { queue: 'down' },
    });
    expect(notReady.body['message']).toContain('queue');
    const ready = await api.get(ROUTES.ready);
    expect(ready.status).toBe(200);
    expect(ready.body['info']).toMatchObject({
      database: { status: 'up' },
      queue: { status: 'up' },
    });
    // Every accepted request is durable: in the intake, as no worker runs here.
    const [accepted] = await api.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reset_request_intake`,
    );
    expect(accepted.n).toBe(6);
  });
});
