import { DataSource, EntityManager } from 'typeorm';

/**
 * Raw SQL that always yields the rows. TypeORM's `query()` returns `[rows, count]` for
 * UPDATE/DELETE but `rows` otherwise; the structured result is uniform. Hot paths use
 * lean statements like these instead of entity round trips.
 */
export async function queryRows<T>(
  target: DataSource | EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const runner = target instanceof DataSource ? target.createQueryRunner() : target.queryRunner;
  if (!runner) throw new Error('queryRows needs a transaction manager or a data source');
  try {
    const result = await runner.query(sql, params, true);
    return result.records as T[];
  } finally {
    if (target instanceof DataSource) await runner.release();
  }
}
