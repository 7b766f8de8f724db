import { randomUUID } from 'node:crypto';

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
import { Pool } from 'pg';
import { DataSource } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { DATABASE_URL } from '../database/database-url';
import { Metrics } from '../metrics/metrics.service';
import { JobQueue } from '../queue/job-queue.service';
import { ClaimedJob } from '../queue/job-worker';
import { endpointOrigin } from './webhook-endpoints';
import { WEBHOOK_QUEUE, WebhookFlushJob } from './webhook-events';
import { ClaimedEvent, WebhookOutbox } from './webhook-outbox';
import { flushJobKey, JOB_BUDGET_MS, webhookQueueSettings } from './webhook-queue';
import { DELIVERY_TIMEOUT_MS, sendWebhook } from './webhook-sender';
import { decodeSecret } from './webhook-signature';

/** Events leased per claim. */
const BATCH_SIZE = 20;
/** A lease lets another worker take the events over this long after its last renewal. */
const LEASE_SECONDS = 45;
/** Renewed before a send when less than this is left: a send plus its bookkeeping. */
const RENEW_MARGIN_MS = DELIVERY_TIMEOUT_MS + 10_000;

/** How often a replica looks for leases that ran out with nobody to take them over. */
const ORPHAN_SWEEP_MS = 15_000;

type BatchEnd = 'drained' | 'taken-over' | 'out-of-budget';

/**
 * Delivers the outbox. A flush job for (endpoint, user) leases that user's oldest pending
 * events for that endpoint in a short transaction, sends them oldest first with no
 * transaction open, marks each one as it is acknowledged, and claims again until nothing
 * is left. The first failure gives the lease back and fails the job, so pg-boss retries
 * it with back-off: a user's events never overtake each other. While one worker holds a
 * pair's lease, a flush job for that pair elsewhere ends at once (the holder picks up what
 * was published meanwhile), so a slow receiver ties up one worker slot, not all of them.
 * A crashed worker's lease runs out; a sweep every 15 s queues a flush job for such a
 * pair (and pg-boss retries the dead job itself once its claim expires).
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
  private outbox: WebhookOutbox | null = null;
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
    // Connections are held for single statements only, never while a receiver answers.
    this.pool = new Pool({
      connectionString: this.databaseUrl,
      max: Math.min(workerConcurrency, 4),
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
      application_name: 'account-recovery-webhooks',
    });
    // An idle connection that breaks reports here; without a listener Node would crash.
    this.pool.on('error', (error) => this.logger.warn(`webhook pool: ${error.message}`));
    this.outbox = new WebhookOutbox(this.pool);
    await this.queue.defineQueue(WEBHOOK_QUEUE, webhookQueueSettings(this.config));
    await this.queue.workOn<WebhookFlushJob>(WEBHOOK_QUEUE, workerConcurrency, (job) =>
      this.flush(job),
    );
    // Events whose retries ran out get another round at every start.
    this.redrive(false).catch((error: Error) =>
      this.logger.warn(`webhook redrive failed: ${error.message}`),
    );
    this.sweepTimer = setInterval(() => {
      this.redrive(true).catch((error: Error) =>
        this.logger.warn(`webhook lease sweep failed: ${error.message}`),
      );
    }, ORPHAN_SWEEP_MS);
    this.sweepTimer.unref();
  }

  /**
   * Delivers what the pair has pending, in order, batch after batch; throws at the first
   * failed delivery. Each run owns its leases under an id of its own: the worker fails a
   * job that nears its claim expiry while the run may still be going, and pg-boss may then
   * start the same job id elsewhere; with the job id as owner both runs would hold one lease.
   * The run also stops at that moment (the job's signal), releasing what it holds.
   */
  async flush({ data: job, signal: jobSignal }: ClaimedJob<WebhookFlushJob>): Promise<void> {
    const owner = randomUUID();
    const signal = AbortSignal.any([this.stopping.signal, jobSignal]);
    const key = this.keys.get(job.endpoint);
    if (!key) {
      // Removed from WEBHOOK_ENDPOINTS since: its rows stay, undelivered, for an operator.
      this.logger.warn('a webhook flush job names an endpoint no longer configured; skipped');
      return;
    }
    const outbox = this.outbox;
    if (!outbox) throw new Error('webhook deliveries are not running on this replica');
    const deadline = Date.now() + JOB_BUDGET_MS;
    for (;;) {
      // Measured before the claim: the lease cannot end earlier than this plus its length.
      const leasedAt = Date.now();
      const events = await outbox.claim(job.endpoint, job.userId, owner, BATCH_SIZE, LEASE_SECONDS);
      if (events.length === 0) return;
      let end: BatchEnd;
      try {
        end = await this.deliverInOrder(
          outbox,
          job,
          key,
          owner,
          events,
          leasedAt,
          deadline,
          signal,
        );
      } catch (error) {
        await outbox.release(job.endpoint, job.userId, owner).catch(() => undefined);
        throw error;
      }
      if (end === 'drained') continue;
      // Leases first: a job that takes the rest must not find any of them still held.
      await outbox.release(job.endpoint, job.userId, owner);
      if (end === 'out-of-budget') {
        await this.queue.sendTo(WEBHOOK_QUEUE, job, undefined, { singletonKey: flushJobKey(job) });
        return;
      }
    }
  }

  /** Sends the leased events oldest first; throws when one fails (or at shutdown). */
  private async deliverInOrder(
    outbox: WebhookOutbox,
    job: WebhookFlushJob,
    key: Buffer,
    owner: string,
    events: ClaimedEvent[],
    leasedAt: number,
    deadline: number,
    signal: AbortSignal,
  ): Promise<BatchEnd> {
    const origin = endpointOrigin(job.endpoint);
    let leaseEnds = leasedAt + LEASE_SECONDS * 1000;
    for (const [index, event] of events.entries()) {
      if (signal.aborted) throw new Error('stopped by shutdown or by the end of its claim');
      if (Date.now() >= deadline) return 'out-of-budget';
      if (leaseEnds - Date.now() < RENEW_MARGIN_MS) {
        const renewedAt = Date.now();
        const rest = events.slice(index).map((e) => e.id);
        if (!(await outbox.renew(owner, rest, LEASE_SECONDS))) {
          // This worker stalled past its lease and another one holds the pair now.
          this.logger.warn(`webhook lease to ${origin} was taken over; leaving it to the taker`);
          return 'taken-over';
        }
        leaseEnds = renewedAt + LEASE_SECONDS * 1000;
      }
      const { type, timestamp, data } = event.payload;
      const body = JSON.stringify({ type, timestamp, data });
      const outcome = await sendWebhook(
        { url: job.endpoint, key, messageId: event.message_id, body },
        signal,
      );
      if (!outcome.ok) {
        await outbox.markFailed(event.id, outcome.error);
        this.metrics.webhooks.inc({ type: event.type, outcome: 'failed' });
        this.logger.warn(
          `webhook ${event.type} ${event.message_id} to ${origin} failed: ${outcome.error}; will retry`,
        );
        throw new Error(`webhook to ${origin} failed: ${outcome.error}`);
      }
      await outbox.markDelivered(event.id);
      this.metrics.webhooks.inc({ type: event.type, outcome: 'delivered' });
      this.logger.debug(`webhook ${event.type} ${event.message_id} delivered to ${origin}`);
    }
    return 'drained';
  }

  /**
   * A flush job (unless one waits) for every pair with undelivered events to a configured
   * endpoint; with `orphansOnly`, for pairs whose lease ran out without being given back. A
   * worker that died mid-delivery leaves such a lease, and a flush job that came while it
   * still ran ended without delivering: this is what picks the pair up again.
   */
  private async redrive(orphansOnly: boolean): Promise<void> {
    const pairs = (await this.dataSource.query(
      `SELECT DISTINCT endpoint, user_id AS "userId" FROM webhook_events
        WHERE delivered_at IS NULL AND endpoint = ANY($1::text[])
          AND ($2::boolean IS FALSE OR locked_until < now())`,
      [[...this.keys.keys()], orphansOnly],
    )) as WebhookFlushJob[];
    for (const pair of pairs) {
      await this.queue.sendTo(WEBHOOK_QUEUE, pair, undefined, { singletonKey: flushJobKey(pair) });
    }
    if (pairs.length > 0) {
      const what = orphansOnly ? 'abandoned lease(s) taken over' : 'pending stream(s) retried';
      this.logger.log(`webhooks: ${pairs.length} ${what}`);
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
