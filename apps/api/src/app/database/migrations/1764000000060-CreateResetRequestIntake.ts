import { MigrationInterface, QueryRunner } from 'typeorm';

import { HOT_TABLE_AUTOVACUUM } from '../autovacuum';

/**
 * The intake of forgot-password requests (docs/architecture.md §3): the API appends one row
 * per request, the worker moves rows into the email queue and deletes them. Lean on purpose:
 * the request's fields as columns and the key that orders them, no other index (each one
 * would be written and vacuumed once per request). Rows are inserted and deleted at the
 * request rate: autovacuum keeps up with it like it does for the other hot tables.
 */
export class CreateResetRequestIntake1764000000060 implements MigrationInterface {
  name = 'CreateResetRequestIntake1764000000060';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reset_request_intake (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text NOT NULL,
        address text NOT NULL,
        ip text,
        user_agent text,
        requested_at timestamptz NOT NULL
      ) WITH (${HOT_TABLE_AUTOVACUUM})`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reset_request_intake`);
  }
}
