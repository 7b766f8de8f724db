import { Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** Jobs inserted since the last refresh that make a move refresh the statistics… */
const REFRESH_AFTER_JOBS = 1000;
/** …unless it refreshed them this recently. */
const REFRESH_EVERY_MS = 5000;

/**
 * The planner's statistics of the email queue's partition, refreshed by the transaction that
 * loads a burst of jobs into it (docs/architecture.md §3, step 3).
 *
 * The partition churns: each job is inserted, updated twice and archived within seconds, so
 * autovacuum, which looks at a database once a minute at best, analyses it between bursts,
 * when next to nothing waits. Those statistics priced a backlog of 20,000 waiting jobs at 16,
 * and the planner then claimed through pg-boss's `(name, start_after)` index and sorted every
 * waiting job on each claim (auto_explain in a bench drain: 530 of 1,100 claims, 13,600–
 * 20,500 rows sorted, 11–16 ms each, a third of PostgreSQL's CPU). With statistics taken
 * once the burst is there, it walks the claim-order index for its batch (queue-tables.ts).
 * PostgreSQL's own advice after a bulk load ("Populating a Database": run ANALYZE
 * afterwards), applied by the one part that knows a bulk load happened: the intake's mover.
 *
 * In the same transaction as the insert, so the jobs and the statistics that count them
 * appear together; `SKIP_LOCKED`, so a move never waits for autovacuum or another worker's
 * refresh (one skipped is tried again after the next thousand jobs). An ANALYZE of the
 * partition took 42 ms with 10,000 jobs waiting among 20,000 archived rows' pages.
 */
export class QueueStatistics {
  private readonly logger = new Logger(QueueStatistics.name);
  private insertedSince = 0;
  private refreshedAt = -Infinity;
  /** The last try failed: said once, not at every try. */
  private failing = false;

  /** @param table the partition, schema-qualified and quoted */
  constructor(
    private readonly table: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * In the transaction that inserted `count` jobs, after the insert: true if it tried (the
   * next try waits its turn whether this one worked or not).
   */
  async refreshIfStale(manager: EntityManager, count: number): Promise<boolean> {
    if (this.insertedSince + count < REFRESH_AFTER_JOBS) return false;
    if (this.clock() - this.refreshedAt < REFRESH_EVERY_MS) return false;
    // Behind a savepoint: a refresh that fails (a statement timeout, say) must not take the
    // move, and the requests in it, down with it.
    await manager.query('SAVEPOINT queue_statistics');
    try {
      await manager.query(`ANALYZE (SKIP_LOCKED) ${this.table}`);
      await manager.query('RELEASE SAVEPOINT queue_statistics');
      this.failing = false;
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT queue_statistics');
      if (!this.failing) {
        this.logger.warn(
          `cannot refresh the email queue's statistics: ${(error as Error).message}`,
        );
      }
      this.failing = true;
    }
    return true;
  }

  /** Once that transaction has committed; a try in a rolled-back one counts for nothing. */
  committed(count: number, refreshed: boolean): void {
    if (!refreshed) {
      this.insertedSince += count;
      return;
    }
    this.insertedSince = 0;
    this.refreshedAt = this.clock();
  }
}
