import {
  ApiProcess,
  generateWebhookSecret,
  MailCatcher,
  ReceivedWebhook,
  WebhookReceiver,
} from '@account-recovery/testing';

import { API_KEY_HEADER, createUserViaApi, ROUTES } from './support/service-api';

const API_KEY = 'e2e-slow-webhooks-key-0123456789ab';
/** The slow user's deliveries are answered this late: slow, but inside the 10 s timeout. */
const SLOW_MS = 6000;
const SLOW_RESETS = 4;
const FAST_USERS = 12;
/**
 * Another user's event reaches the receiver within this of being published, even while the
 * slow user's deliveries are being answered. Delivery takes milliseconds; the bound is for
 * a loaded machine. Before the fix the slow user's flush jobs took every worker slot for
 * about 30 s (one delivering, the others waiting on its lock).
 */
const FAST_BOUND_MS = 5000;
/** The request path while a slow delivery is in flight (a bcrypt at cost 10 is ~70 ms). */
const REQUEST_BOUND_MS = 2000;

interface StuckTransaction {
  application_name: string;
  seconds: number;
}

/**
 * A receiver that is slow for one user must delay nobody else: other users' events arrive
 * promptly, no database connection sits idle in a transaction while the slow receiver
 * thinks, requests are answered, and the slow user's events still arrive in order, once.
 */
describe('webhooks with a slow receiver', () => {
  const mail = new MailCatcher();
  const receiver = new WebhookReceiver(generateWebhookSecret());
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    await receiver.start();
    receiver.delayFor = (delivery) =>
      String(delivery.payload?.data?.['email'] ?? '').startsWith('slow.') ? SLOW_MS : 0;
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      WEBHOOK_ENDPOINTS: `${receiver.url}=${receiver.secret}`,
      WEBHOOK_WORKER_CONCURRENCY: '4',
      WEBHOOK_RETRY_DELAY_SECONDS: '1',
    });
  });

  afterAll(async () => {
    await api?.stop();
    await receiver.stop();
    await mail.stop();
  });

  /** Transactions of this database left idle for over a second (none should be). */
  function stuckTransactions(): Promise<StuckTransaction[]> {
    return api.query<StuckTransaction>(
      `SELECT application_name, extract(epoch FROM now() - state_change)::float AS seconds
         FROM pg_stat_activity
        WHERE datname = current_database() AND state LIKE 'idle in transaction%'
          AND now() - state_change > interval '1 second'`,
    );
  }

  async function timed(request: () => Promise<number>): Promise<{ status: number; ms: number }> {
    const started = Date.now();
    const status = await request();
    return { status, ms: Date.now() - started };
  }

  it('should deliver other users promptly and the slow user in order, once, with no transaction held', async () => {
    const slowId = await createUserViaApi(api, API_KEY, 'slow.receiver@example.com');
    for (let i = 0; i < SLOW_RESETS; i++) {
      const forced = await api.post(
        `${ROUTES.users}/${slowId}/password-reset`,
        {},
        { [API_KEY_HEADER]: API_KEY },
      );
      expect(forced.status).toBe(202);
    }

    // Watch the database for the whole slow stretch.
    const stuck: StuckTransaction[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        stuck.push(...(await stuckTransactions()));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();

    try {
      // Others publish while the slow user's first delivery is being held.
      await until(() => receiver.waiting > 0, 15_000);
      const published = new Map<string, number>();
      for (let i = 0; i < FAST_USERS; i++) {
        const id = await createUserViaApi(api, API_KEY, `fast.${i}@example.com`);
        published.set(id, Date.now());
      }
      const lags: number[] = [];
      for (const [id, at] of published) {
        const delivery = await receiver.waitFor(
          (d) => d.payload?.type === 'user.invited' && d.payload.data?.['userId'] === id,
          60_000,
        );
        expect(delivery.verified).toBe(true);
        lags.push(delivery.receivedAt - at);
      }
      expect(Math.max(...lags)).toBeLessThan(FAST_BOUND_MS);

      // The request path answers while a slow delivery is still being held.
      await until(() => receiver.waiting > 0, 10_000);
      const forgot = await timed(
        async () => (await api.post(ROUTES.forgot, { email: 'fast.0@example.com' })).status,
      );
      const signIn = await timed(
        async () =>
          (
            await api.post(ROUTES.login, {
              email: 'fast.1@example.com',
              password: 'not the password at all',
            })
          ).status,
      );
      expect(forgot).toEqual({ status: 202, ms: expect.any(Number) });
      expect(signIn).toEqual({ status: 401, ms: expect.any(Number) });
      expect(Math.max(forgot.ms, signIn.ms)).toBeLessThan(REQUEST_BOUND_MS);

      // The slow user's events: all delivered, each once, in outbox order, all signed.
      const deadline = Date.now() + (SLOW_RESETS + 1) * SLOW_MS + 60_000;
      let rows = await slowRows(slowId);
      while (rows.length < SLOW_RESETS + 1 || rows.some((row) => !row.delivered)) {
        if (Date.now() > deadline) throw new Error(`not delivered: ${JSON.stringify(rows)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
        rows = await slowRows(slowId);
      }
      const arrived: ReceivedWebhook[] = receiver.forUser(slowId);
      expect(arrived.map((d) => d.id)).toEqual(rows.map((row) => row.message_id));
      expect(arrived.map((d) => d.payload?.type)).toEqual([
        'user.invited',
        ...Array<string>(SLOW_RESETS).fill('password.reset_requested_by_service'),
      ]);
      expect(arrived.every((d) => d.verified)).toBe(true);
      expect(rows.every((row) => row.attempts === 1)).toBe(true);
    } finally {
      watching = false;
      await watcher;
    }
    expect(stuck).toEqual([]);
  });

  async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  function slowRows(
    userId: string,
  ): Promise<{ message_id: string; delivered: boolean; attempts: number }[]> {
    return api.query(
      `SELECT message_id, delivered_at IS NOT NULL AS delivered, attempts
         FROM webhook_events WHERE user_id = $1 ORDER BY id`,
      [userId],
    );
  }
});
