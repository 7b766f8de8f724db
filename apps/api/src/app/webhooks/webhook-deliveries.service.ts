import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { DATABASE_URL } from '../database/database-url';
import { Metrics } from '../metrics/metrics.service';
import { JobQueue } from '../queue/job-queue.service';
import { advisoryLockKey } from './advisory-lock-key';
import { endpointOrigin } from './webhook-endpoints';
import { WEBHOOK_QUEUE, WebhookFlushJob, WebhookPayload } from './webhook-events';
import { webhookQueueSettings } from './webhook-publisher.service';
import { sendWebhook } from './webhook-sender';
import { decodeSecret } from './webhook-signature';

/** Held while one (endpoint, user) pair is being delivered: one deliverer at a time. */
export const FLUSH_LOCK = 'webhook-flush';
/** Events read per transaction. */
const BATCH_SIZE = 50;
/** A flush job starts no delivery after this; what is left goes to a fresh job. */
const JOB_BUDGET_MS = 60_000;
/** Waiting for another deliverer of the same pair; then the job fails and is retried. */
const LOCK_WAIT = '30s';
/** Delivered events (their bodies hold addresses) are kept this long, for support. */
const RETENTION_DAYS = 7;
const SWEEP_INTERVAL_MS = 3600_000;

interface PendingEvent {
  id: string;
  message_id: string;
  type: string;
  payload: WebhookPayload;
}

interface BatchResult {
  more: boolean;
  failure: string | null;
}

/**
 * Delivers the outbox. A flush job for (endpoint, user) sends that user's undelivered
 * events to that endpoint oldest first and stops at the first failure, which fails the
 * job so pg-boss retries it with back-off: a user's events never overtake each other.
 * The work runs under a transaction-scoped advisory lock on the pair, so two replicas (or
 * a duplicate job) never deliver the same user's events at once; the loser waits its turn
 * and then finds nothing left. Deliveries hold a connection while a receiver answers (up
 * to 10 s), so they use a small pool of their own instead of the request path's.
 */
@Injectable()
export class WebhookDeliveries
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(WebhookDeliveries.name);
  private readonly config: AppConfig['webhooks'];
  /** Key bytes by endpoint URL. */
  private readonly keys = new Map<string, Buffer>();
  private pool: Pool | null = null;
  private readonly stopping = new AbortController();
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly queue: JobQueue,
    private readonly metrics: Metrics,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.config = config.get('webhooks', { infer: true });
    for (const endpoint of this.config.endpoints) {
      const key = decodeSecret(endpoint.secret);
      // Validated at boot; a key that does not decode is a bug, not a configuration error.
      if (!key) throw new Error('a webhook secret did not decode');
      this.keys.set(endpoint.url, key);
    }
  }

  onModuleInit(): void {
    this.metrics.scrapeGauge(
      'account_recovery_webhooks_pending',
      'Webhook events not yet delivered (waiting, being retried, or out of retries)',
      async (gauge) => gauge.set((await this.backlog()).pending),
    );
    this.metrics.scrapeGauge(
      'account_recovery_webhooks_oldest_pending_age_seconds',
      'Age of the oldest undelivered webhook event; grows while a receiver is down',
      async (gauge) => gauge.set((await this.backlog()).oldest),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const { endpoints, workerConcurrency } = this.config;
    if (endpoints.length === 0 || workerConcurrency === 0) return;
    this.pool = new Pool({
      connectionString: this.databaseUrl,
      max: workerConcurrency,
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
      application_name: 'account-recovery-webhooks',
    });
    // An idle connection that breaks reports here; without a listener Node would crash.
    this.pool.on('error', (error) => this.logger.warn(`webhook pool: ${error.message}`));
    await this.queue.defineQueue(WEBHOOK_QUEUE, webhookQueueSettings(this.config));
    await this.queue.workOn<WebhookFlushJob>(WEBHOOK_QUEUE, workerConcurrency, ({ data }) =>
      this.flush(data),
    );
    // Events whose retries ran out get another round at every start.
    this.redrive().catch((error: Error) =>
      this.logger.warn(`webhook redrive failed: ${error.message}`),
    );
    this.sweepTimer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  /** Delivers what the pair has pending, in order; throws at the first failed delivery. */
  async flush({ endpoint, userId }: WebhookFlushJob): Promise<void> {
    const key = this.keys.get(endpoint);
    if (!key) {
      // Removed from WEBHOOK_ENDPOINTS since: its rows stay, undelivered, for an operator.
      this.logger.warn('a webhook flush job names an endpoint no longer configured; skipped');
      return;
    }
    const deadline = Date.now() + JOB_BUDGET_MS;
    while (await this.flushBatch(endpoint, key, userId, deadline)) {
      if (Date.now() >= deadline) {
        await this.queue.sendTo(WEBHOOK_QUEUE, { endpoint, userId } satisfies WebhookFlushJob);
        return;
      }
    }
  }

  /** One transaction under the pair's lock. True when more may be waiting. */
  private async flushBatch(
    endpoint: string,
    key: Buffer,
    userId: string,
    deadline: number,
  ): Promise<boolean> {
    if (!this.pool) throw new Error('webhook deliveries are not running on this replica');
    const client = await this.pool.connect();
    let result: BatchResult;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = '${LOCK_WAIT}'`);
      await client.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [
        advisoryLockKey(FLUSH_LOCK, endpoint, userId),
      ]);
      result = await this.deliverOldestFirst(client, endpoint, key, userId, deadline);
      await client.query('COMMIT');
    } catch (error) {
      // Deliveries marked in this transaction go out again later, with the same webhook-id.
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(true);
      throw error;
    }
    client.release();
    if (result.failure) throw new Error(result.failure);
    return result.more;
  }

  private async deliverOldestFirst(
    client: PoolClient,
    endpoint: string,
    key: Buffer,
    userId: string,
    deadline: number,
  ): Promise<BatchResult> {
    const origin = endpointOrigin(endpoint);
    const { rows } = await client.query<PendingEvent>(
      `SELECT id, message_id, type, payload FROM webhook_events
        WHERE endpoint = $1 AND user_id = $2 AND delivered_at IS NULL
        ORDER BY id LIMIT $3`,
      [endpoint, userId, BATCH_SIZE],
    );
    for (const event of rows) {
      if (this.stopping.signal.aborted) return { more: false, failure: 'stopped by shutdown' };
      if (Date.now() >= deadline) return { more: true, failure: null };
      const { type, timestamp, data } = event.payload;
      const body = JSON.stringify({ type, timestamp, data });
      const outcome = await sendWebhook(
        { url: endpoint, key, messageId: event.message_id, body },
        this.stopping.signal,
      );
      if (outcome.ok) {
        await client.query(
          `UPDATE webhook_events
              SET delivered_at = now(), attempts = attempts + 1, last_attempt_at = now(), last_error = NULL
            WHERE id = $1`,
          [event.id],
        );
        this.metrics.webhooks.inc({ type: event.type, outcome: 'delivered' });
        this.logger.debug(`webhook ${event.type} ${event.message_id} delivered to ${origin}`);
      } else {
        await client.query(
          `UPDATE webhook_events
              SET attempts = attempts + 1, last_attempt_at = now(), last_error = $2
            WHERE id = $1`,
          [event.id, outcome.error],
        );
        this.metrics.webhooks.inc({ type: event.type, outcome: 'failed' });
        this.logger.warn(
          `webhook ${event.type} ${event.message_id} to ${origin} failed: ${outcome.error}; will retry`,
        );
        return { more: false, failure: `webhook to ${origin} failed: ${outcome.error}` };
      }
    }
    return { more: rows.length === BATCH_SIZE, failure: null };
  }

  /** A flush job for every pair with undelivered events to a configured endpoint. */
  private async redrive(): Promise<void> {
    const pairs = (await this.dataSource.query(
      `SELECT DISTINCT endpoint, user_id AS "userId" FROM webhook_events
        WHERE delivered_at IS NULL AND endpoint = ANY($1::text[])`,
      [[...this.keys.keys()]],
    )) as WebhookFlushJob[];
    for (const pair of pairs) await this.queue.sendTo(WEBHOOK_QUEUE, pair);
    if (pairs.length > 0) this.logger.log(`webhooks: retrying ${pairs.length} pending stream(s)`);
  }

  /** Deletes delivered events past the retention period. */
  private async sweep(): Promise<void> {
    try {
      await this.pool?.query(
        `DELETE FROM webhook_events WHERE delivered_at < now() - make_interval(days => $1)`,
        [RETENTION_DAYS],
      );
    } catch (error) {
      this.logger.warn(`webhook retention sweep failed: ${(error as Error).message}`);
    }
  }

  private async backlog(): Promise<{ pending: number; oldest: number }> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS pending,
              COALESCE(extract(epoch FROM now() - min(created_at)), 0)::float AS oldest
         FROM webhook_events WHERE delivered_at IS NULL`,
    )) as { pending: number; oldest: number }[];
    return row;
  }

  /** After the job queue stopped its workers (up to 7 s): cut what is still in flight. */
  async onApplicationShutdown(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.stopping.abort();
    await this.pool?.end().catch(() => undefined);
  }
}
