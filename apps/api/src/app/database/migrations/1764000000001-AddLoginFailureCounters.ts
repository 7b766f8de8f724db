import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-account login throttling: consecutive failures and when the last one happened. */
export class AddLoginFailureCounters1764000000001 implements MigrationInterface {
  name = 'AddLoginFailureCounters1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE users
        ADD COLUMN failed_login_count integer NOT NULL DEFAULT 0,
        ADD COLUMN last_failed_login_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE users DROP COLUMN last_failed_login_at, DROP COLUMN failed_login_count`,
    );
  }
}
