import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsersAndPasswordResetTokens1764000000000 implements MigrationInterface {
  name = 'CreateUsersAndPasswordResetTokens1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // gen_random_uuid() is built in from PostgreSQL 13 on; no extension needed.
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        display_name text,
        password_hash text,
        password_changed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_users_email UNIQUE (email),
        -- The application stores addresses normalised; the database refuses anything else.
        CONSTRAINT ck_users_email_normalised CHECK (email = lower(btrim(email)) AND email <> '')
      )`);
    await queryRunner.query(`
      CREATE TABLE password_reset_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL,
        purpose text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        requested_ip inet,
        user_agent text,
        -- The delivery job that issued the token: its retries replace each other's
        -- links and count once towards the per-address limit.
        delivery_job_id uuid,
        CONSTRAINT uq_password_reset_tokens_token_hash UNIQUE (token_hash),
        CONSTRAINT ck_password_reset_tokens_purpose CHECK (purpose IN ('reset', 'invite')),
        CONSTRAINT ck_password_reset_tokens_hash_hex CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_password_reset_tokens_expiry CHECK (expires_at > created_at)
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_password_reset_tokens_user_created ON password_reset_tokens (user_id, created_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE password_reset_tokens`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
