import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

/**
 * The database schema as a readiness check: a process on a database that the migrate step
 * has not brought up to this build (production runs migrations as a step of their own,
 * docs/operations.md) reaches the database, yet answers every request with an error. It must
 * stay out of the load balancer until every migration it ships is recorded. Once they all
 * are, that stays true for this build's life, so later probes cost no query.
 */
@Injectable()
export class SchemaHealthIndicator {
  private migrated = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy<const Key extends string>(
    key: Key,
    timeoutMs: number,
  ): Promise<HealthIndicatorResult<Key>> {
    const check = this.health.check(key);
    if (this.migrated) return check.up();
    let timer: NodeJS.Timeout | undefined;
    try {
      const pending = await Promise.race([
        this.pendingMigrations(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        }),
      ]);
      if (pending === 0) {
        this.migrated = true;
        return check.up();
      }
      return check.down({ message: `${pending} migration(s) not applied: run the migrate step` });
    } catch {
      // A fixed message: readiness may be reachable from outside, errors name hosts.
      return check.down({ message: 'the migrations applied could not be read' });
    } finally {
      clearTimeout(timer);
    }
  }

  /** This build's migrations that the database's migrations table does not record. */
  private async pendingMigrations(): Promise<number> {
    const table = this.dataSource.options.migrationsTableName ?? 'migrations';
    const exists = (await this.dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS "exists"`, [
      table,
    ])) as { exists: boolean }[];
    const known = this.dataSource.migrations.map((migration) => migration.name ?? '');
    if (!exists[0]?.exists) return known.length;
    const recorded = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM ${this.dataSource.driver.escape(table)} WHERE name = ANY($1)`,
      [known],
    )) as { n: number }[];
    return known.length - (recorded[0]?.n ?? 0);
  }
}
