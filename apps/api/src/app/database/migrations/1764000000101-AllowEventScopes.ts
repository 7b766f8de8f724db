import { MigrationInterface, QueryRunner } from 'typeorm';

const BEFORE = ['users:read', 'users:write', 'resets:write', 'mfa:write'];
const ADDED = ['events:read', 'reports:read'];

/**
 * The scopes of the audit export (docs/architecture.md §10): `events:read` reads the security events
 * (`GET /v1/events`), `reports:read` their counts (`GET /v1/reports/recovery`). A SIEM
 * collector gets the first and nothing else; neither lets a key change an account.
 */
export class AllowEventScopes1764000000101 implements MigrationInterface {
  name = 'AllowEventScopes1764000000101';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.allowScopes(queryRunner, [...BEFORE, ...ADDED]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // A key holding a scope the old constraint refuses could not stay: it goes, as in 080.
    await queryRunner.query(`DELETE FROM service_clients WHERE scopes && $1::text[]`, [ADDED]);
    await this.allowScopes(queryRunner, BEFORE);
  }

  private async allowScopes(queryRunner: QueryRunner, scopes: string[]): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE service_clients DROP CONSTRAINT ck_service_clients_scopes,
         ADD CONSTRAINT ck_service_clients_scopes
         CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY[${scopes.map((s) => `'${s}'`).join(', ')}])`,
    );
  }
}
