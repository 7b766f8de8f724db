import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hashes of an account's earlier passwords, so a reset can refuse one of the last
 * PASSWORD_HISTORY (docs/architecture.md, "Sign-in and passwords"). The current password
 * stays in users.password_hash; a row here is a password that was replaced. Deleting the
 * user deletes its history (ON DELETE CASCADE): no retention job is needed for it.
 */
export class CreatePasswordHistory1764000000090 implements MigrationInterface {
  name = 'CreatePasswordHistory1764000000090';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE password_history (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The newest rows of one user: what a reset reads and what the pruning keeps.
    await queryRunner.query(
      `CREATE INDEX idx_password_history_user_created
         ON password_history (user_id, created_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE password_history`);
  }
}
