import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The help desk's search (`GET /v1/users?query=`, docs/architecture.md §11): people whose
 * address, or whose lower-cased display name, starts with what was typed. A LIKE prefix
 * can use a B-tree only when the index compares bytes: the unique index on `email` does so
 * under the C collation alone, so both indexes use `text_pattern_ops` and serve the prefix
 * under any collation the database was created with.
 */
export class AddUserSearchIndexes1764000000103 implements MigrationInterface {
  name = 'AddUserSearchIndexes1764000000103';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX idx_users_email_prefix ON users (email text_pattern_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_users_display_name_prefix ON users (lower(display_name) text_pattern_ops)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_users_display_name_prefix`);
    await queryRunner.query(`DROP INDEX idx_users_email_prefix`);
  }
}
