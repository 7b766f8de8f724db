import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The help desk's search (`GET /v1/users?query=`, docs/architecture.md §11): people whose
 * address, or whose lower-cased display name, starts with what was typed. A LIKE prefix
 * can use a B-tree only when the index compares bytes: the unique index on `email` does so
 * under the C collation alone, so both indexes use `text_pattern_ops` and serve the prefix
 * under any collation the database was created with.
 *
 * Built CONCURRENTLY, outside a transaction (`transaction = false`; the data source runs
 * migrations one transaction each): a plain CREATE INDEX would hold writes to `users`, so
 * sign-ins and resets, for as long as the build takes on a large directory. A concurrent
 * build that fails leaves an invalid index behind and the migration unrecorded; the next run
 * drops the leftover and builds again.
 */
export class AddUserSearchIndexes1764000000103 implements MigrationInterface {
  name = 'AddUserSearchIndexes1764000000103';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS idx_users_email_prefix`);
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY idx_users_email_prefix ON users (email text_pattern_ops)`,
    );
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS idx_users_display_name_prefix`);
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY idx_users_display_name_prefix
         ON users (lower(display_name) text_pattern_ops)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_users_display_name_prefix`);
    await queryRunner.query(`DROP INDEX idx_users_email_prefix`);
  }
}
