import {
  ApiProcess,
  generateWebhookSecret,
  MailCatcher,
  PORTAL_URL,
  ReceivedWebhook,
  tokenFromMail,
  verifyStandardWebhook,
  WebhookReceiver,
} from '@account-recovery/testing';

import { isInvitation, isResetMail } from './support/mail-wait';
import { API_KEY_HEADER, createUserViaApi, ROUTES } from './support/service-api';

const API_KEY = 'e2e-webhooks-key-0123456789abcdef';
const OUTAGE_MS = 20_000;
/** Back-off from a 1 s delay doubles per attempt: the next try can be ~32 s after the outage. */
const DELIVERY_TIMEOUT_MS = 60_000;
const EVENT_KEYS = ['data', 'timestamp', 'type'];

interface EventRow {
  message_id: string;
  type: string;
  attempts: number;
  delivered: boolean;
  last_error: string | null;
}

/**
 * Standard Webhooks out of the built API: a receiver in this process verifies every
 * signature and timestamp the way a consumer's library would, with its own code.
 */
describe('webhooks', () => {
  const mail = new MailCatcher();
  const receiver = new WebhookReceiver(generateWebhookSecret());
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    await receiver.start();
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      WEBHOOK_ENDPOINTS: `${receiver.url}=${receiver.secret}`,
      WEBHOOK_RETRY_DELAY_SECONDS: '1',
      RESET_EMAILS_PER_HOUR: '20',
    });
  });

  afterAll(async () => {
    await api?.stop();
    await receiver.stop();
    await mail.stop();
  });

  /** The user's events as the outbox holds them, in creation order. */
  function eventRows(userId: string): Promise<EventRow[]> {
    return api.query<EventRow>(
      `SELECT message_id, type, attempts, delivered_at IS NOT NULL AS delivered, last_error
         FROM webhook_events WHERE user_id = $1 ORDER BY id`,
      [userId],
    );
  }

  /** A user created through the service API who has set a first password from the invitation. */
  async function invitedUserWithPassword(
    email: string,
    password: string,
  ): Promise<{ userId: string; token: string }> {
    const userId = await createUserViaApi(api, API_KEY, email);
    const token = tokenFromMail(await mail.waitFor(email, { predicate: isInvitation }), PORTAL_URL);
    expect((await api.post(ROUTES.reset, { token, newPassword: password })).status).toBe(200);
    return { userId, token };
  }

  /** Forgot-password, the link from the mail, a new password: one more password.changed. */
  async function resetThroughEmail(email: string, password: string): Promise<string> {
    const after = mail.mark();
    expect((await api.post(ROUTES.forgot, { email })).status).toBe(202);
    const token = tokenFromMail(
      await mail.waitFor(email, { after, predicate: isResetMail }),
      PORTAL_URL,
    );
    expect((await api.post(ROUTES.reset, { token, newPassword: password })).status).toBe(200);
    return token;
  }

  it('should send a signed password.changed with the user id and no secrets after a reset', async () => {
    const email = 'hook.first@example.com';
    const password = 'quiet harbour lanterns glow';
    const { userId, token } = await invitedUserWithPassword(email, password);

    const delivery = await receiver.waitFor(
      (d) => d.payload?.type === 'password.changed' && d.payload.data?.['userId'] === userId,
    );
    expect(delivery.verified).toBe(true);
    expect(delivery.contentType).toBe('application/json');
    expect(Math.abs(Number(delivery.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(Object.keys(delivery.payload ?? {}).sort()).toEqual(EVENT_KEYS);
    expect(delivery.payload?.data).toEqual({ userId, email });
    const happenedAt = Date.parse(delivery.payload?.timestamp ?? '');
    expect(new Date(happenedAt).toISOString()).toBe(delivery.payload?.timestamp);
    expect(Math.abs(happenedAt - Date.now())).toBeLessThan(60_000);

    // Nothing secret: not the link's token, the password, its hash or the service key.
    const [{ password_hash: hash }] = await api.query<{ password_hash: string }>(
      `SELECT password_hash FROM users WHERE id = $1`,
      [userId],
    );
    for (const secret of [token, password, hash, API_KEY, receiver.secret]) {
      expect(delivery.body).not.toContain(secret);
    }
    expect(delivery.body).not.toMatch(/token|password"|hash|\$2[aby]\$/i);

    // The outbox row: delivered on the first attempt, under the id the receiver saw.
    const rows = await eventRows(userId);
    const row = rows.find((r) => r.message_id === delivery.id);
    expect(row).toEqual({
      message_id: delivery.id,
      type: 'password.changed',
      attempts: 1,
      delivered: true,
      last_error: null,
    });

    // The receiver's check is not vacuous: a changed body, id or secret fails it.
    const headers = {
      id: delivery.id,
      timestamp: delivery.timestamp,
      signature: delivery.signature,
    };
    const secret = receiver.secret;
    expect(verifyStandardWebhook(secret, headers, delivery.body)).toBe(true);
    const tampered = delivery.body.replace(
      userId,
      userId.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
    );
    expect(tampered).not.toBe(delivery.body);
    expect(verifyStandardWebhook(secret, headers, tampered)).toBe(false);
    expect(verifyStandardWebhook(secret, headers, `${delivery.body} `)).toBe(false);
    expect(verifyStandardWebhook(secret, { ...headers, id: 'msg_other' }, delivery.body)).toBe(
      false,
    );
    expect(verifyStandardWebhook(generateWebhookSecret(), headers, delivery.body)).toBe(false);
    const stale = { nowSeconds: Number(delivery.timestamp) + 301 };
    expect(verifyStandardWebhook(secret, headers, delivery.body, stale)).toBe(false);
  });

  it('should send a signed user.email_changed with both addresses, only when the change commits', async () => {
    const userId = await createUserViaApi(api, API_KEY, 'hook.moving@example.com');
    await createUserViaApi(api, API_KEY, 'hook.taken@example.com');
    const auth = { [API_KEY_HEADER]: API_KEY };

    // Refused (the address is taken): the transaction rolls back, and its event with it.
    const refused = await api.request(
      'PATCH',
      `${ROUTES.users}/${userId}`,
      { email: 'hook.taken@example.com' },
      auth,
    );
    expect(refused.status).toBe(409);
    const changed = await api.request(
      'PATCH',
      `${ROUTES.users}/${userId}`,
      { email: 'Hook.Moved@Example.COM' },
      auth,
    );
    expect(changed.status).toBe(200);

    const delivery = await receiver.waitFor(
      (d) => d.payload?.type === 'user.email_changed' && d.payload.data?.['userId'] === userId,
    );
    expect(delivery.verified).toBe(true);
    expect(
      verifyStandardWebhook(
        receiver.secret,
        { id: delivery.id, timestamp: delivery.timestamp, signature: delivery.signature },
        delivery.body,
      ),
    ).toBe(true);
    expect(Object.keys(delivery.payload ?? {}).sort()).toEqual(EVENT_KEYS);
    expect(delivery.payload?.data).toEqual({
      userId,
      email: 'hook.moved@example.com',
      previousEmail: 'hook.moving@example.com',
    });
    const rows = await eventRows(userId);
    expect(rows.map((row) => row.type)).toEqual(['user.invited', 'user.email_changed']);
    expect(receiver.forUser(userId).map((d) => d.id)).toEqual(rows.map((row) => row.message_id));

    // A display-name change alone is not an address change.
    const renamed = await api.request(
      'PATCH',
      `${ROUTES.users}/${userId}`,
      { displayName: 'Moved Person' },
      auth,
    );
    expect(renamed.status).toBe(200);
    expect((await eventRows(userId)).length).toBe(2);
  });

  it('should deliver every event in creation order once the receiver is back after 20 s', async () => {
    const email = 'hook.outage@example.com';
    const { userId } = await invitedUserWithPassword(email, 'first sturdy passphrase here');
    await receiver.waitFor(
      (d) => d.payload?.type === 'password.changed' && d.payload.data?.['userId'] === userId,
    );
    const deliveredBefore = (await eventRows(userId)).length;

    await receiver.stop();
    const downSince = Date.now();
    const passwords = ['second sturdy passphrase', 'third sturdy passphrase', 'fourth sturdy one'];
    for (const password of passwords) await resetThroughEmail(email, password);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - downSince)));

    // Retried, not dropped; and only the oldest undelivered event was tried: a later one
    // must never overtake it.
    const during = (await eventRows(userId)).filter((row) => !row.delivered);
    expect(during.map((row) => row.type)).toEqual(
      expect.arrayContaining(['password.changed', 'password.changed', 'password.changed']),
    );
    expect(during.length).toBeGreaterThanOrEqual(passwords.length);
    expect(during[0].attempts).toBeGreaterThanOrEqual(2);
    expect(during[0].last_error).toMatch(/network error|HTTP|no answer/);
    expect(during[0].last_error).not.toContain(receiver.url);
    for (const later of during.slice(1)) expect(later.attempts).toBe(0);

    await receiver.start();
    const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
    let rows = await eventRows(userId);
    while (rows.some((row) => !row.delivered)) {
      if (Date.now() > deadline) throw new Error(`not delivered: ${JSON.stringify(rows)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      rows = await eventRows(userId);
    }
    expect(rows.length).toBeGreaterThanOrEqual(deliveredBefore + passwords.length);
    expect(rows.slice(-passwords.length).map((row) => row.type)).toEqual(
      passwords.map(() => 'password.changed'),
    );

    // What arrived, duplicates dropped by webhook-id, is exactly the outbox in order: no
    // gap, nothing out of place. Every delivery (duplicates too) verifies.
    const deliveries = receiver.forUser(userId);
    expect(deliveries.every((d) => d.verified)).toBe(true);
    const firstArrivals: ReceivedWebhook[] = [];
    for (const d of deliveries) {
      if (!firstArrivals.some((seen) => seen.id === d.id)) firstArrivals.push(d);
    }
    expect(firstArrivals.map((d) => d.id)).toEqual(rows.map((row) => row.message_id));
    expect(firstArrivals.map((d) => d.payload?.type)).toEqual(rows.map((row) => row.type));
    // Creation order is also the order of the events' own timestamps.
    const times = firstArrivals.map((d) => Date.parse(d.payload?.timestamp ?? ''));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});
