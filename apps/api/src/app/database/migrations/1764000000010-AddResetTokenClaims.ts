import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reset claims its link before hashing the new password (`claimed_until`, a lease), so
 * concurrent resets with one link hash once; the others are refused without hashing.
 */
export class AddResetTokenClaims1764000000010 implements MigrationInterface {
  name = 'AddResetTokenClaims1764000000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE password_reset_tokens ADD COLUMN claimed_until timestamptz`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE password_reset_tokens DROP COLUMN claimed_until`);
  }
}
