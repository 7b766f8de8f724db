import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';

import { IntakeCursor } from './intake-cursor';
import { IntakeMover } from './intake-mover';
import { QueueStatistics } from './queue-statistics';
import { moveIntake } from './reset-intake';

/** Requests one move takes from the intake at most (the oldest after its cursor). */
const MOVE_BATCH = 2000;
/**
 * How often a mover starts a move from the intake's beginning instead of its cursor, for
 * rows committed behind it (IntakeCursor): what such a request can wait at most, besides
 * the mover's own rhythm.
 */
const FULL_PASS_EVERY_MS = 2000;

export interface IntakeMoverSettings {
  /** Taken at once, at least this many make a move busy (see `decideMove`). */
  busyAt: number;
  /** The mover's rhythm (IntakeMover). */
  intervalMs: number;
  /** Requests a committed move settled as having no account. */
  onDropped: (count: number) => void;
  /** The email queue's partition, whose statistics bursts refresh (null: pg-boss gave none). */
  partition: string | null;
}

/**
 * A worker's mover of the intake (docs/architecture.md §3, "Intake"): each move is one
 * transaction on the application's database (take, decide, queue with pg-boss's insert),
 * from the cursor that only a committed move advances.
 */
export function intakeMover(
  dataSource: DataSource,
  boss: PgBoss,
  settings: IntakeMoverSettings,
): IntakeMover {
  const cursor = new IntakeCursor(FULL_PASS_EVERY_MS);
  const statistics = settings.partition ? new QueueStatistics(settings.partition) : null;
  return new IntakeMover({
    limit: MOVE_BATCH,
    intervalMs: settings.intervalMs,
    move: async () => {
      const after = cursor.next();
      const { moved, refreshed } = await dataSource.transaction(async (manager) => {
        const moved = await moveIntake(manager, boss, {
          limit: MOVE_BATCH,
          busyAt: settings.busyAt,
          after,
        });
        const refreshed = (await statistics?.refreshIfStale(manager, moved.jobs.length)) ?? false;
        return { moved, refreshed };
      });
      // Only after the commit: a move that rolled back leaves the cursor where it was.
      cursor.moved(moved.lastId);
      statistics?.committed(moved.jobs.length, refreshed);
      if (moved.dropped > 0) settings.onDropped(moved.dropped);
      return moved.taken;
    },
  });
}
