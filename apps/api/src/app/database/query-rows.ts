import type { PoolClient } from 'pg';
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

/**
 * A statement whose text never changes, run as a named statement on one of the data source's
 * connections: PostgreSQL parses, analyses and plans it once per connection instead of on
 * every call. For long hot-path statements, where that work outweighs the execution (the
 * worker's `issue_link` with its events: 0.4 ms of parsing a call, more than it runs).
 */
export async function queryPrepared<T>(
  dataSource: DataSource,
  name: string,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    const result = await client.query({ name, text: sql, values: params });
    return result.rows as T[];
  } finally {
    await runner.release();
  }
}
