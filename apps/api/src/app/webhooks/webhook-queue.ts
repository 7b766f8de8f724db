import { AppConfig } from '../config/app-config';
import { QueueSettings } from '../queue/job-queue.service';
import { WebhookFlushJob } from './webhook-events';

/**
 * Taken by every publish for a user until its transaction ends, and by every claim of that
 * user's events (briefly): event ids follow commit order, and a claim never misses an event
 * whose publisher found a flush job already waiting (it waits for that publisher's commit).
 */
export const PUBLISH_LOCK = 'webhook-publish';

/** A flush job starts no delivery after this; what is left goes to a fresh job. */
export const JOB_BUDGET_MS = 60_000;

/**
 * The queue of flush jobs, with the retry settings from WEBHOOK_RETRY_*. `short`: at most
 * one flush job per (endpoint, user) waits at a time, however many events are published.
 */
export function webhookQueueSettings(config: AppConfig['webhooks']): QueueSettings {
  return {
    retryLimit: config.retryLimit,
    retryDelaySeconds: config.retryDelaySeconds,
    // Well past a job's budget and its last delivery: a claim this old means a dead worker.
    expireInSeconds: 180,
    policy: 'short',
  };
}

/** The pg-boss singleton key that keeps one waiting flush job per (endpoint, user). */
export function flushJobKey(job: WebhookFlushJob): string {
  return `${job.userId} ${job.endpoint}`;
}
