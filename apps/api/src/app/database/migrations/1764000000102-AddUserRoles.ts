import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff roles on people (docs/architecture.md §11): a role lets a person's session reach
 * the service API through the role-to-scope map in libs/contracts. Empty for everyone else.
 * The CHECK keeps a typo made by hand in psql from becoming a role nobody can reason about;
 * the operator CLI (`user:grant`) is the only writer.
 */
export class AddUserRoles1764000000102 implements MigrationInterface {
  name = 'AddUserRoles1764000000102';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE users
         ADD COLUMN roles text[] NOT NULL DEFAULT '{}',
         ADD CONSTRAINT ck_users_roles CHECK (roles <@ ARRAY['helpdesk', 'admin']::text[])`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN roles`);
  }
}
