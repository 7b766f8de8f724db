import {
  ApiProcess,
  generateWebhookSecret,
  MailCatcher,
  WebhookReceiver,
} from '@account-recovery/testing';

import { API_KEY_HEADER, createUserViaApi, ROUTES } from './support/service-api';

const API_KEY = 'e2e-flush-jobs-key-0123456789abcd';
const RESETS = 4;
/** The lease a dead worker left behind runs out this long after the test writes it. */
const DEAD_LEASE_SECONDS = 15;

interface Row {
  message_id: string;
  delivered: boolean;
}

/**
 * Flush jobs and leases: one waiting flush job per (endpoint, user) however many events
 * are published, and a lease left by a worker that died is respected until it runs out,
 * then taken over, with every event delivered in order, once.
 */
describe('webhook flush jobs', () => {
  const mail = new MailCatcher();
  const receiver = new WebhookReceiver(generateWebhookSecret());
  let api: ApiProcess;
  let busyId = '';
  let otherId = '';

  beforeAll(async () => {
    await mail.start();
    await receiver.start();
    // Records events but delivers none, so the queue shows what publishing left in it.
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      WEBHOOK_ENDPOINTS: `${receiver.url}=${receiver.secret}`,
      WEBHOOK_WORKER_CONCURRENCY: '0',
    });
  });

  afterAll(async () => {
    await api?.stop();
    await receiver.stop();
    await mail.stop();
  });

  function rows(userId: string): Promise<Row[]> {
    return api.query<Row>(
      `SELECT message_id, delivered_at IS NOT NULL AS delivered
         FROM webhook_events WHERE user_id = $1 ORDER BY id`,
      [userId],
    );
  }

  async function allDelivered(userId: string, count: number, timeoutMs: number): Promise<Row[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await rows(userId);
      if (found.length === count && found.every((row) => row.delivered)) return found;
      if (Date.now() > deadline) throw new Error(`not delivered: ${JSON.stringify(found)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('should keep one waiting flush job per user and endpoint, however many events', async () => {
    busyId = await createUserViaApi(api, API_KEY, 'flush.busy@example.com');
    for (let i = 0; i < RESETS; i++) {
      const forced = await api.post(
        `${ROUTES.users}/${busyId}/password-reset`,
        {},
        { [API_KEY_HEADER]: API_KEY },
      );
      expect(forced.status).toBe(202);
    }
    otherId = await createUserViaApi(api, API_KEY, 'flush.other@example.com');

    expect((await rows(busyId)).length).toBe(RESETS + 1);
    const jobs = await api.query<{ userId: string; count: number }>(
      `SELECT data->>'userId' AS "userId", count(*)::int AS count FROM pgboss.job
        WHERE name = 'webhook' GROUP BY 1 ORDER BY 2`,
    );
    expect(jobs).toEqual(
      expect.arrayContaining([
        { userId: busyId, count: 1 },
        { userId: otherId, count: 1 },
      ]),
    );
    expect(jobs).toHaveLength(2);
  });

  it('should respect a dead worker’s lease until it runs out, then take over and deliver in order once', async () => {
    await api.query(
      `UPDATE webhook_events SET lease_owner = gen_random_uuid(),
              locked_until = now() + make_interval(secs => $2)
        WHERE user_id = $1`,
      [busyId, DEAD_LEASE_SECONDS],
    );
    const leaseEnds = Date.now() + DEAD_LEASE_SECONDS * 1000;
    await api.stop();
    await api.launch({ WEBHOOK_WORKER_CONCURRENCY: '4' });

    // Another user's event is not held up by the lease...
    await allDelivered(otherId, 1, 10_000);
    // ...and nobody delivers the leased user's events while the lease runs.
    if (Date.now() < leaseEnds - 2000) {
      expect(receiver.forUser(busyId)).toEqual([]);
    }

    const delivered = await allDelivered(busyId, RESETS + 1, DEAD_LEASE_SECONDS * 1000 + 45_000);
    const arrived = receiver.forUser(busyId);
    expect(arrived[0].receivedAt).toBeGreaterThanOrEqual(leaseEnds - 1000);
    expect(arrived.map((d) => d.id)).toEqual(delivered.map((row) => row.message_id));
    expect(arrived.every((d) => d.verified)).toBe(true);
  });
});
