import { randomBytes } from 'node:crypto';

import { ApiProcess, MailCatcher } from '@account-recovery/testing';

import { Client } from 'pg';

import { waitForSettledJobs } from './support/email-jobs';
import { API_KEY_HEADER, insertUser, ROUTES, sha256Hex } from './support/service-api';
import { RawRequest, sendSimultaneously } from './support/simultaneous-requests';

const API_KEY = 'e2e-reset-races-key-0123456789';
const NEW_PASSWORD = 'seven blue herons over the weir';

/** A usable reset link for the user, written straight into the database; returns the raw token. */
async function insertToken(api: ApiProcess, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await api.query(
    `INSERT INTO password_reset_tokens (user_id, token_hash, purpose, expires_at)
     VALUES ($1, $2, 'reset', now() + interval '15 minutes')`,
    [userId, sha256Hex(token)],
  );
  return token;
}

const resetWith = (token: string): RawRequest => ({
  method: 'POST',
  path: ROUTES.reset,
  body: { token, newPassword: NEW_PASSWORD },
});

/** Waits until at least `count` sessions on the API's database wait for a lock. */
async function waitForLockWaiters(api: ApiProcess, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [row] = await api.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (row.n >= count) return;
    if (Date.now() > deadline) throw new Error(`${count} lock waiter(s) expected, found ${row.n}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One sample of a Prometheus metric from /metrics (0 when absent). */
async function metric(api: ApiProcess, name: string): Promise<number> {
  const text = (await api.get('/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('concurrent resets', () => {
  const mail = new MailCatcher();

  beforeAll(() => mail.start());
  afterAll(() => mail.stop());

  it('should hash once for ten concurrent resets with one token, and answer the others with a token code', async () => {
    // bcrypt cost 13 (~0.6 s of CPU a hash here): hashes stand out of the process's CPU time.
    const api = await ApiProcess.start({ SMTP_URL: mail.url, BCRYPT_COST: '13' });
    try {
      const cpu = () => metric(api, 'process_cpu_seconds_total');
      const consumed = () =>
        metric(api, 'account_recovery_tokens_total{event="consumed",purpose="reset"}');
      // One reset on its own: what one hash and the work around it cost.
      const first = await insertUser(api, 'alone@example.com');
      const before = await cpu();
      const [alone] = await sendSimultaneously(api.baseUrl, [
        resetWith(await insertToken(api, first)),
      ]);
      expect(alone.status).toBe(200);
      const oneReset = (await cpu()) - before;

      const userId = await insertUser(api, 'contested@example.com');
      const token = await insertToken(api, userId);
      const consumedBefore = await consumed();
      const cpuBefore = await cpu();
      const answers = await sendSimultaneously(api.baseUrl, Array(10).fill(resetWith(token)));
      const tenResets = (await cpu()) - cpuBefore;

      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      for (const answer of answers.filter((a) => a.status !== 200)) {
        expect(answer.status).toBe(400);
        expect(['TOKEN_USED', 'TOKEN_INVALID']).toContain(answer.body?.['code']);
      }
      expect((await consumed()) - consumedBefore).toBe(1);
      const [row] = await api.query<{ changed: boolean }>(
        `SELECT password_changed_at IS NOT NULL AS changed FROM users WHERE id = $1`,
        [userId],
      );
      expect(row.changed).toBe(true);
      // Ten hashes would cost about ten times one reset; one hash and nine cheap refusals,
      // about one.
      const cost = { oneReset, tenResets, underThree: tenResets < 3 * oneReset };
      expect(cost).toEqual({ ...cost, underThree: true });
    } finally {
      await api.stop();
    }
  });

  it('should not deadlock when an issue and a reset both wait for the same user', async () => {
    const api = await ApiProcess.start({ SMTP_URL: mail.url, SERVICE_API_KEYS: API_KEY });
    try {
      const userId = await insertUser(api, 'queued@example.com');
      for (let round = 0; round < 3; round += 1) {
        const token = await insertToken(api, userId);
        // Hold the user's row, so that both parties queue for it: the issue first (in the
        // worker, for the forced reset), then the reset. Whatever each holds while it
        // waits, it holds when the row is let go.
        const holder = new Client({ connectionString: api.databaseUrl });
        await holder.connect();
        try {
          await holder.query('BEGIN');
          await holder.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
          const forced = await api.post(
            `${ROUTES.users}/${userId}/password-reset`,
            {},
            { [API_KEY_HEADER]: API_KEY },
          );
          expect(forced.status).toBe(202);
          await waitForLockWaiters(api, 1);
          const reset = api.post(ROUTES.reset, { token, newPassword: NEW_PASSWORD });
          await waitForLockWaiters(api, 2);
          await holder.query('COMMIT');
          const answer = await reset;
          // The issue queued first, so it revoked the link the reset had claimed: the reset
          // lost, and let go of its claim.
          const [link] = await api.query<{ revoked: boolean; claimed: boolean }>(
            `SELECT revoked_at IS NOT NULL AS revoked, claimed_until IS NOT NULL AS claimed
               FROM password_reset_tokens WHERE token_hash = $1`,
            [sha256Hex(token)],
          );
          expect({ round, status: answer.status, code: answer.body['code'], ...link }).toEqual({
            round,
            status: 400,
            code: 'TOKEN_INVALID',
            revoked: true,
            claimed: false,
          });
        } finally {
          await holder.end();
        }
      }
      await waitForSettledJobs(api, 'forced-reset', { count: 3, timeoutMs: 60_000 });
      expect(api.logs.filter((line) => /deadlock/i.test(line))).toEqual([]);
    } finally {
      await api.stop();
    }
  });

  it('should never deadlock or answer 500 when links are issued while the user resets', async () => {
    const api = await ApiProcess.start({ SMTP_URL: mail.url, SERVICE_API_KEYS: API_KEY });
    try {
      const users = await Promise.all(
        Array.from({ length: 4 }, (_, i) => insertUser(api, `race${i}@example.com`)),
      );
      const statuses: number[] = [];
      let forced = 0;
      for (let round = 0; round < 10; round += 1) {
        const answers = await Promise.all(
          users.map(async (userId) => {
            const token = await insertToken(api, userId);
            const issue: RawRequest = {
              method: 'POST',
              path: `${ROUTES.users}/${userId}/password-reset`,
              body: {},
              headers: { [API_KEY_HEADER]: API_KEY },
            };
            // The worker issues the forced link under the user's lock while the reset runs.
            return sendSimultaneously(api.baseUrl, [issue, resetWith(token), issue]);
          }),
        );
        forced += users.length * 2;
        statuses.push(...answers.flat().map((answer) => answer.status));
      }
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      await waitForSettledJobs(api, 'forced-reset', { count: forced, timeoutMs: 60_000 });
      expect(api.logs.filter((line) => /deadlock/i.test(line))).toEqual([]);
    } finally {
      await api.stop();
    }
  });
});
