import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { claimRound, purgeExpired, recordFinish } from './retention-purge';

export const RETENTION_TASK = 'retention-purge';
/** How often each worker replica asks whether a purge is due. */
const TICK_MS = 60_000;
/** A round may start this much early, so a replica's tick does not push the next one back. */
const SLACK_SECONDS = 5;

/**
 * Runs the retention purge on a schedule, on replicas that run job workers, once per
 * RETENTION_PURGE_INTERVAL_MINUTES across all of them: every such replica asks at start
 * and then every minute, and the one whose conditional write records the round runs it.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private readonly retention: AppConfig['retention'];
  private readonly mailWorkers: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.retention = config.get('retention', { infer: true });
    this.mailWorkers = config.get('mail.workerConcurrency', { infer: true });
  }

  /** Worker replicas only: an API-only replica (MAIL_WORKER_CONCURRENCY=0) never purges. */
  private runsWorkers(): boolean {
    return this.mailWorkers > 0;
  }

  onApplicationBootstrap(): void {
    if (!this.runsWorkers()) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.runIfDue()
      .then(() => undefined)
      .catch((error: Error) => this.logger.warn(`retention purge failed: ${error.message}`))
      .finally(() => (this.running = null));
  }

  /** True when this replica ran the round. */
  async runIfDue(): Promise<boolean> {
    const retention = this.retention;
    const interval = retention.purgeIntervalMinutes * 60 - SLACK_SECONDS;
    if (!(await claimRound(this.dataSource, RETENTION_TASK, interval))) return false;
    const result = await purgeExpired(this.dataSource, retention);
    await recordFinish(this.dataSource, RETENTION_TASK, result);
    this.logger.log(
      `retention purge: ${result.tokens} link(s) older than ${retention.tokenDays} d, ` +
        `${result.webhookEvents} delivered webhook event(s) older than ${retention.webhookEventDays} d, ` +
        `${result.challenges} sign-in challenge(s), ${result.pendingFactors} unconfirmed authenticator(s), ` +
        `${result.securityEvents} security event(s) older than ${retention.eventDays} d deleted`,
    );
    return true;
  }

  /** Lets a purge in progress finish while the database is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
