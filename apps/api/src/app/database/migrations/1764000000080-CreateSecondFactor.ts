import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The second factor (docs/architecture.md §9): authenticators, recovery codes, sign-in
 * challenges, and what a reset link now counts: its 8-digit code and the wrong codes shown
 * with it.
 *
 * - `mfa_factors`: one TOTP secret per row, AES-256-GCM under MFA_ENCRYPTION_KEY (never in
 *   the clear); pending until `confirmed_at`; at most one confirmed per user. `last_used_step`
 *   makes each code count once; `failed_attempts` throttles guessing across every channel.
 * - `recovery_codes`: HMAC-SHA-256 of each code under a key derived from MFA_ENCRYPTION_KEY.
 * - `mfa_challenges`: the step between a correct password and the factor; SHA-256 of its
 *   token, five attempts.
 * - `password_reset_tokens.code_hash`/`code_attempts`: the emailed code (keyed HMAC);
 *   `mfa_attempts`: wrong second-factor codes shown with the link (five revoke it).
 */
export class CreateSecondFactor1764000000080 implements MigrationInterface {
  name = 'CreateSecondFactor1764000000080';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE mfa_factors (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        type text NOT NULL DEFAULT 'totp' CHECK (type = 'totp'),
        secret_ciphertext text NOT NULL,
        confirmed_at timestamptz,
        last_used_step bigint NOT NULL DEFAULT 0,
        failed_attempts integer NOT NULL DEFAULT 0,
        last_failed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_mfa_factors_confirmed_user ON mfa_factors (user_id)
        WHERE confirmed_at IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX idx_mfa_factors_user ON mfa_factors (user_id)`);
    await queryRunner.query(`
      CREATE TABLE recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash char(64) NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_recovery_codes_user_hash ON recovery_codes (user_id, code_hash)`,
    );
    await queryRunner.query(`
      CREATE TABLE mfa_challenges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL UNIQUE,
        attempts integer NOT NULL DEFAULT 0,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_mfa_challenges_user ON mfa_challenges (user_id)`);
    await queryRunner.query(`
      ALTER TABLE password_reset_tokens
        ADD COLUMN code_hash char(64),
        ADD COLUMN code_attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN mfa_attempts integer NOT NULL DEFAULT 0`);
    await this.allowScopes(queryRunner, ['users:read', 'users:write', 'resets:write', 'mfa:write']);
  }

  /** The scopes a service key may hold: `mfa:write` lets a help desk reset a lost factor. */
  private async allowScopes(queryRunner: QueryRunner, scopes: string[]): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE service_clients DROP CONSTRAINT ck_service_clients_scopes,
         ADD CONSTRAINT ck_service_clients_scopes
         CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY[${scopes.map((s) => `'${s}'`).join(', ')}])`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM service_clients WHERE 'mfa:write' = ANY (scopes)`);
    await this.allowScopes(queryRunner, ['users:read', 'users:write', 'resets:write']);
    await queryRunner.query(`
      ALTER TABLE password_reset_tokens
        DROP COLUMN code_hash, DROP COLUMN code_attempts, DROP COLUMN mfa_attempts`);
    await queryRunner.query(`DROP TABLE mfa_challenges`);
    await queryRunner.query(`DROP TABLE recovery_codes`);
    await queryRunner.query(`DROP TABLE mfa_factors`);
  }
}
