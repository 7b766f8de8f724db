import { randomBytes } from 'node:crypto';

import { ApiProcess } from '@account-recovery/testing';

import { insertUser } from './support/service-api';

const ENV = {
  TOKEN_RETENTION_DAYS: '10',
  WEBHOOK_RETENTION_DAYS: '3',
  EVENTS_RETENTION_DAYS: '31',
  RETENTION_PURGE_INTERVAL_MINUTES: '60',
};
const PURGE_LOG = 'retention purge:';

/** A link row whose life ended (or ends) at the given moments, as SQL intervals from now. */
interface TokenShape {
  label: string;
  createdAgo: string;
  expiresIn: string;
  usedAgo?: string;
  revokedAgo?: string;
}

/**
 * The scheduled purge on two replicas of one database: it runs once per interval across
 * both, deletes links dead for longer than TOKEN_RETENTION_DAYS and webhook events
 * delivered longer than WEBHOOK_RETENTION_DAYS ago, security events older than
 * EVENTS_RETENTION_DAYS (past their append-only trigger), and keeps everything younger,
 * every link that still works and every undelivered event.
 */
describe('retention purge', () => {
  let first: ApiProcess;
  let second: ApiProcess;

  beforeAll(async () => {
    first = await ApiProcess.start(ENV);
    second = new ApiProcess({ ...ENV, DATABASE_URL: first.databaseUrl });
  });

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  const purgeLogs = () =>
    [...first.logs, ...second.logs].filter((line) => line.includes(PURGE_LOG)).length;

  async function waitForFinishedRound(): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [run] = await first.query<{ finished: boolean }>(
        `SELECT last_finished_at IS NOT NULL AS finished FROM maintenance_runs
          WHERE task = 'retention-purge'`,
      );
      if (run?.finished) return;
      if (Date.now() > deadline) throw new Error('no retention round finished within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function insertToken(userId: string, shape: TokenShape): Promise<void> {
    await first.query(
      `INSERT INTO password_reset_tokens
         (user_id, token_hash, purpose, created_at, expires_at, used_at, revoked_at, user_agent)
       VALUES ($1, $2, 'reset', now() - $3::interval, now() + $4::interval,
               now() - $5::interval, now() - $6::interval, $7)`,
      [
        userId,
        randomBytes(32).toString('hex'),
        shape.createdAgo,
        shape.expiresIn,
        shape.usedAgo ?? null,
        shape.revokedAgo ?? null,
        shape.label,
      ],
    );
  }

  async function insertEvent(
    userId: string,
    label: string,
    createdAgo: string,
    deliveredAgo: string | null,
  ): Promise<void> {
    await first.query(
      `INSERT INTO webhook_events (endpoint, user_id, type, message_id, payload, created_at, delivered_at)
       VALUES ('http://127.0.0.1:9/hooks', $1, 'password.changed', $2, '{}'::jsonb,
               now() - $3::interval, now() - $4::interval)`,
      [userId, label, createdAgo, deliveredAgo],
    );
  }

  /** A security event that happened this long ago; only the purge may delete it later. */
  async function insertSecurityEvent(userId: string, label: string, ago: string): Promise<void> {
    await first.query(
      `INSERT INTO security_events (type, user_id, actor, occurred_at, details)
       VALUES ('user.changed', $1, 'system', now() - $2::interval, jsonb_build_object('label', $3::text))`,
      [userId, ago, label],
    );
  }

  it('should run once at the first start and not again on a second replica within the interval', async () => {
    await waitForFinishedRound();
    await second.launch();
    // The second replica asked at its start too; the round was already taken.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(purgeLogs()).toBe(1);
  });

  it('should delete only what is past retention, once across replicas, when the next round is due', async () => {
    const userId = await insertUser(first, 'retention.person@example.com');
    const tokens: TokenShape[] = [
      {
        label: 'used-11d',
        createdAgo: '11 days 1 hour',
        expiresIn: '-11 days',
        usedAgo: '11 days',
      },
      {
        label: 'revoked-11d',
        createdAgo: '11 days 1 hour',
        expiresIn: '-10 days',
        revokedAgo: '11 days',
      },
      { label: 'expired-11d', createdAgo: '11 days 1 hour', expiresIn: '-11 days' },
      { label: 'used-9d', createdAgo: '9 days 1 hour', expiresIn: '-9 days', usedAgo: '9 days' },
      { label: 'expired-9d', createdAgo: '9 days 1 hour', expiresIn: '-9 days' },
      { label: 'live-reset', createdAgo: '1 minute', expiresIn: '14 minutes' },
      // An invitation asked for long ago that still works: its age alone does not matter.
      { label: 'live-invite', createdAgo: '13 days', expiresIn: '1 day' },
    ];
    for (const shape of tokens) await insertToken(userId, shape);
    await insertEvent(userId, 'delivered-4d', '4 days', '4 days');
    await insertEvent(userId, 'delivered-2d', '2 days', '2 days');
    await insertEvent(userId, 'pending-30d', '30 days', null);
    await insertSecurityEvent(userId, 'event-32d', '32 days');
    await insertSecurityEvent(userId, 'event-30d', '30 days');

    // Both replicas restart at once after the interval has passed: one of them purges.
    await Promise.all([first.stop(), second.stop()]);
    await first.query(
      `UPDATE maintenance_runs SET last_started_at = now() - interval '61 minutes',
              last_finished_at = NULL WHERE task = 'retention-purge'`,
    );
    await Promise.all([first.launch(), second.launch()]);
    await waitForFinishedRound();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(purgeLogs()).toBe(2);

    const keptTokens = await first.query<{ user_agent: string }>(
      `SELECT user_agent FROM password_reset_tokens WHERE user_id = $1 ORDER BY user_agent`,
      [userId],
    );
    expect(keptTokens.map((row) => row.user_agent)).toEqual([
      'expired-9d',
      'live-invite',
      'live-reset',
      'used-9d',
    ]);
    const keptEvents = await first.query<{ message_id: string }>(
      `SELECT message_id FROM webhook_events WHERE user_id = $1 ORDER BY message_id`,
      [userId],
    );
    expect(keptEvents.map((row) => row.message_id)).toEqual(['delivered-2d', 'pending-30d']);
    const keptTrail = await first.query<{ label: string }>(
      `SELECT details->>'label' AS label FROM security_events
        WHERE user_id = $1 AND details ? 'label' ORDER BY 1`,
      [userId],
    );
    expect(keptTrail.map((row) => row.label)).toEqual(['event-30d']);
    const [run] = await first.query<{ last_result: unknown }>(
      `SELECT last_result FROM maintenance_runs WHERE task = 'retention-purge'`,
    );
    expect(run.last_result).toEqual({
      tokens: 3,
      webhookEvents: 1,
      challenges: 0,
      pendingFactors: 0,
      securityEvents: 1,
    });
  });

  /** One transaction on one connection: SET LOCAL, then the statement. */
  async function asPurge(sql: string): Promise<void> {
    await first.query(`DO $do$ BEGIN
      SET LOCAL account_recovery.purging = 'on';
      ${sql};
    END $do$`);
  }

  it('should refuse, even with the purge setting on, a DELETE of a recent event and any TRUNCATE', async () => {
    const userId = await insertUser(first, 'retention.guard@example.com');
    // 29 days: younger than the least EVENTS_RETENTION_DAYS (30), which the trigger holds to.
    await insertSecurityEvent(userId, 'guard-29d', '29 days');
    await insertSecurityEvent(userId, 'guard-1h', '1 hour');
    await insertSecurityEvent(userId, 'guard-31d', '31 days');
    for (const label of ['guard-29d', 'guard-1h']) {
      await expect(
        asPurge(`DELETE FROM security_events WHERE details->>'label' = '${label}'`),
      ).rejects.toThrow(/append-only \(DELETE\)/);
    }
    await expect(asPurge('TRUNCATE security_events')).rejects.toThrow(/append-only \(TRUNCATE\)/);
    await expect(first.query('TRUNCATE security_events')).rejects.toThrow(
      /append-only \(TRUNCATE\)/,
    );
    // Older than 30 days, with the setting: the purge's own case still passes.
    await asPurge(`DELETE FROM security_events WHERE details->>'label' = 'guard-31d'`);
    const kept = await first.query<{ label: string }>(
      `SELECT details->>'label' AS label FROM security_events WHERE user_id = $1 ORDER BY 1`,
      [userId],
    );
    expect(kept.map((row) => row.label)).toEqual(['guard-1h', 'guard-29d']);
  });
});
