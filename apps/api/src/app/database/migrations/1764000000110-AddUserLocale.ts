import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The language of a person's emails (docs/architecture.md §12).
 *
 * `users.locale`: the person's choice, NULL until they (or a service, or the help desk) make
 * one. `reset_request_intake.locale`: the locale negotiated from the Accept-Language of a
 * forgot-password request, a short code and not the header, so it reaches the job and the
 * worker; NULL when the header named nothing the product speaks.
 *
 * No CHECK against the supported locales: the API validates what it writes (DTOs, the
 * intake's rows come from ClientRequestMeta), and the worker reads an unknown value as no
 * choice. A CHECK would need a migration for every locale added, and during a rolling
 * deploy it would refuse the new locale from new replicas until it ran; the value decides
 * nothing but a language, so the database need not guard it the way it guards roles.
 */
export class AddUserLocale1764000000110 implements MigrationInterface {
  name = 'AddUserLocale1764000000110';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN locale text`);
    await queryRunner.query(`ALTER TABLE reset_request_intake ADD COLUMN locale text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE reset_request_intake DROP COLUMN locale`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN locale`);
  }
}
