import { PGBOSS_SCHEMA } from '../queue/pg-boss-instance';

/**
 * Autovacuum settings of the tables that churn (docs/architecture.md §3, "Flood"): every
 * forgot-password request is a row of the intake, inserted and deleted; every email job is a
 * row written three times (created, active, completed) and then archived, and every claim
 * walks the index of waiting jobs, so dead rows must not wait for the
 * default trigger (20 % of the table dead). Vacuumed after a fixed number of dead or newly
 * inserted rows whatever the table's size, and unthrottled (the tables are small and hot in
 * memory). Autovacuum still looks at a database only every `autovacuum_naptime` (1 min by
 * default); the application itself never runs VACUUM.
 *
 * Used by the migration that sets it on existing tables and by JobQueue for the partition
 * pg-boss creates with each new queue: change it only together with a new migration.
 */
export { PGBOSS_SCHEMA };

export const HOT_TABLE_AUTOVACUUM =
  'autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000, ' +
  'autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000, ' +
  'autovacuum_vacuum_cost_delay = 0';

/** The partitions of pg-boss's job table, one per queue (none before pg-boss first started). */
export const QUEUE_PARTITIONS_SQL = `
  SELECT q.name, q.partition_name, c.reloptions FROM ${PGBOSS_SCHEMA}.queue q
    JOIN pg_class c ON c.relname = q.partition_name
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = '${PGBOSS_SCHEMA}'`;

/** Quotes an identifier read from the catalog (pg-boss names partitions `j` + hex). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
