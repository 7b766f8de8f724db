import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `security_events` (docs/architecture.md §10): the audit trail, one row per thing that
 * happened to an account or was done to it, written in the transaction of the change.
 *
 * Append-only: a trigger refuses every UPDATE, and every DELETE except the retention purge's,
 * which says so with `SET LOCAL account_recovery.purging = 'on'` in its own transaction.
 * `user_id` has no foreign key on purpose: the trail of a deleted account outlives it.
 * No token, code, password, secret or hash is ever stored here (`details` holds facts).
 */
export class CreateSecurityEvents1764000000100 implements MigrationInterface {
  name = 'CreateSecurityEvents1764000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE security_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        type text NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        user_id uuid,
        actor text NOT NULL,
        ip inet,
        user_agent text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_security_events_time ON security_events (occurred_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_security_events_user ON security_events (user_id, occurred_at DESC, id DESC)
        WHERE user_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_security_events_type ON security_events (type, occurred_at DESC, id DESC)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION security_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'DELETE'
           AND current_setting('account_recovery.purging', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'security_events is append-only (%)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $fn$`);
    await queryRunner.query(`
      CREATE TRIGGER security_events_append_only
        BEFORE UPDATE OR DELETE ON security_events
        FOR EACH ROW EXECUTE FUNCTION security_events_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE security_events`);
    await queryRunner.query(`DROP FUNCTION security_events_append_only()`);
  }
}
