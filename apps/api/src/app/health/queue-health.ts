import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

import { JobQueue } from '../queue/job-queue.service';

/**
 * The job queue as a readiness check: an API process that cannot enqueue answers every
 * forgot-password with 503, so it must not be in the load balancer; a worker that cannot
 * claim must be seen. Probing also retries a failed queue start.
 */
@Injectable()
export class QueueHealthIndicator {
  constructor(
    private readonly queue: JobQueue,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy<const Key extends string>(
    key: Key,
    timeoutMs: number,
  ): Promise<HealthIndicatorResult<Key>> {
    const check = this.health.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.queue.probe(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        }),
      ]);
      return check.up();
    } catch {
      // A fixed message: readiness may be reachable from outside, connection errors name hosts.
      return check.down({ message: 'the job queue cannot reach the database' });
    } finally {
      clearTimeout(timer);
    }
  }
}
