import { EntityManager } from 'typeorm';

import { QueueStatistics } from './queue-statistics';

/** A transaction that records its statements; `failing` ones throw, as PostgreSQL would. */
function recordingManager(failing?: RegExp): { manager: EntityManager; statements: string[] } {
  const statements: string[] = [];
  const manager = {
    query: async (sql: string) => {
      statements.push(sql);
      if (failing?.test(sql)) throw new Error('canceling statement due to statement timeout');
      return [];
    },
  } as unknown as EntityManager;
  return { manager, statements };
}

describe('QueueStatistics', () => {
  const table = 'pgboss."j1"';

  it('should refresh once a thousand jobs have come, counted over moves', async () => {
    const { manager, statements } = recordingManager();
    const statistics = new QueueStatistics(table, () => 0);
    for (const count of [400, 400]) {
      expect(await statistics.refreshIfStale(manager, count)).toBe(false);
      statistics.committed(count, false);
    }
    expect(await statistics.refreshIfStale(manager, 200)).toBe(true);
    expect(statements).toEqual([
      'SAVEPOINT queue_statistics',
      `ANALYZE (SKIP_LOCKED) ${table}`,
      'RELEASE SAVEPOINT queue_statistics',
    ]);
  });

  it('should leave the move whole when the refresh fails, and wait its turn to try again', async () => {
    const { manager, statements } = recordingManager(/^ANALYZE/);
    let now = 0;
    const statistics = new QueueStatistics(table, () => now);
    await expect(statistics.refreshIfStale(manager, 2000)).resolves.toBe(true);
    expect(statements).toEqual([
      'SAVEPOINT queue_statistics',
      `ANALYZE (SKIP_LOCKED) ${table}`,
      'ROLLBACK TO SAVEPOINT queue_statistics',
    ]);
    statistics.committed(2000, true);
    now = 1000;
    expect(await statistics.refreshIfStale(manager, 2000)).toBe(false);
  });

  it('should not refresh again within five seconds, and count what came meanwhile', async () => {
    const { manager, statements } = recordingManager();
    let now = 0;
    const statistics = new QueueStatistics(table, () => now);
    expect(await statistics.refreshIfStale(manager, 2000)).toBe(true);
    statistics.committed(2000, true);
    now = 4999;
    expect(await statistics.refreshIfStale(manager, 2000)).toBe(false);
    statistics.committed(2000, false);
    now = 5000;
    expect(await statistics.refreshIfStale(manager, 0)).toBe(true);
    expect(statements.filter((sql) => sql.startsWith('ANALYZE'))).toHaveLength(2);
  });

  it('should count a refresh whose transaction rolled back as none', async () => {
    const { manager } = recordingManager();
    const statistics = new QueueStatistics(table, () => 0);
    expect(await statistics.refreshIfStale(manager, 1500)).toBe(true);
    // The move failed after it: nothing committed, so nothing is marked refreshed.
    expect(await statistics.refreshIfStale(manager, 1500)).toBe(true);
  });
});
