import { randomBytes } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { JobQueue } from '../queue/job-queue.service';
import { advisoryLockKey } from './advisory-lock-key';
import {
  assertPublishable,
  WEBHOOK_QUEUE,
  WebhookEventData,
  WebhookEventType,
  WebhookFlushJob,
  WebhookPayload,
} from './webhook-events';
import { flushJobKey, PUBLISH_LOCK, webhookQueueSettings } from './webhook-queue';

/**
 * Records webhook events in the outbox (`webhook_events`) and queues their delivery.
 * Global: any module can inject it.
 */
@Injectable()
export class WebhookPublisher {
  private readonly config: AppConfig['webhooks'];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.config = config.get('webhooks', { infer: true });
  }

  /**
   * One row per configured endpoint plus a flush job each (unless one is waiting already). With `manager` both are written
   * in the caller's transaction: the event exists if and only if the change commits. Pass
   * it whenever the change is in a transaction, and call this after the change's own writes
   * (it takes a per-user lock that keeps the user's events in commit order; taken last, it
   * cannot deadlock with the row locks before it). Without `manager`, durable on return.
   * Does nothing when WEBHOOK_ENDPOINTS is empty.
   */
  async publish<T extends WebhookEventType>(
    type: T,
    userId: string,
    data: WebhookEventData[T],
    manager?: EntityManager,
  ): Promise<void> {
    if (this.config.endpoints.length === 0) return;
    assertPublishable(data);
    const payload: WebhookPayload = {
      type,
      timestamp: new Date().toISOString(),
      data: { userId, ...data },
    };
    const messageId = `msg_${randomBytes(16).toString('hex')}`;
    await this.queue.defineQueue(WEBHOOK_QUEUE, webhookQueueSettings(this.config));
    const write = (tx: EntityManager) => this.write(tx, type, userId, messageId, payload);
    await (manager ? write(manager) : this.dataSource.transaction(write));
  }

  private async write(
    manager: EntityManager,
    type: WebhookEventType,
    userId: string,
    messageId: string,
    payload: WebhookPayload,
  ): Promise<void> {
    // Until this transaction ends, no other publish for the user can take an id: ids are
    // handed out at INSERT, so without it a later id could commit first and be delivered
    // before an earlier one. A claim of the user's events waits for it too (WebhookOutbox).
    await manager.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [
      advisoryLockKey(PUBLISH_LOCK, userId),
    ]);
    const urls = this.config.endpoints.map((endpoint) => endpoint.url);
    await manager.query(
      `INSERT INTO webhook_events (endpoint, user_id, type, message_id, payload)
       SELECT url, $2, $3, $4, $5::jsonb FROM unnest($1::text[]) WITH ORDINALITY AS e(url, n)
        ORDER BY n`,
      [urls, userId, type, messageId, JSON.stringify(payload)],
    );
    // One waiting flush job per pair is enough: when one waits already, its claim comes
    // after this commit (it waits on the lock above) and delivers this event too.
    for (const endpoint of urls) {
      const job: WebhookFlushJob = { endpoint, userId };
      await this.queue.sendTo(WEBHOOK_QUEUE, job, manager, { singletonKey: flushJobKey(job) });
    }
  }
}
