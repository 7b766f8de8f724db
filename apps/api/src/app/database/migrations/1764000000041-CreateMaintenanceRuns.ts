import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each scheduled maintenance task (the retention purge) last started. Every worker
 * replica asks on a timer; one conditional write per round decides which one runs it.
 */
export class CreateMaintenanceRuns1764000000041 implements MigrationInterface {
  name = 'CreateMaintenanceRuns1764000000041';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE maintenance_runs (
        task text PRIMARY KEY,
        last_started_at timestamptz NOT NULL,
        last_finished_at timestamptz,
        last_result jsonb
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE maintenance_runs`);
  }
}
