import { MigrationInterface, QueryRunner } from 'typeorm';

/** Managed keys for other services, and a way to end a user's sessions without a reset. */
export class CreateServiceClientsAndSessionRevocation1764000000002 implements MigrationInterface {
  name = 'CreateServiceClientsAndSessionRevocation1764000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE service_clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        key_hash char(64) NOT NULL,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT uq_service_clients_name UNIQUE (name),
        CONSTRAINT uq_service_clients_key_hash UNIQUE (key_hash),
        CONSTRAINT ck_service_clients_scopes
          CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['users:read', 'users:write', 'resets:write']),
        CONSTRAINT ck_service_clients_name CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$')
      )`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN sessions_revoked_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN sessions_revoked_at`);
    await queryRunner.query(`DROP TABLE service_clients`);
  }
}
