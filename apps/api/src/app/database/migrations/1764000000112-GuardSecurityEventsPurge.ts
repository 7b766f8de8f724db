import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Narrows the audit trail's one way out (docs/architecture.md §10). The trigger of
 * CreateSecurityEvents let any DELETE through once `account_recovery.purging` was 'on', and
 * any role may set a custom setting: whoever could write the table could delete yesterday's
 * events by saying so. TRUNCATE fires no row trigger and was not guarded at all.
 *
 * Now a DELETE passes only with the setting on and for a row older than 30 days, the least
 * EVENTS_RETENTION_DAYS may be (config/load-config.ts): the purge deletes nothing younger,
 * so nothing it does is refused, and recent events, the ones an investigation needs, cannot
 * be deleted by anyone who is not the table's owner (who can drop the trigger; see
 * docs/operations.md, "Making the audit trail immutable"). TRUNCATE is refused by a
 * statement trigger. The 30 days are written here, not read: lowering the config's minimum
 * needs a migration too.
 */
export class GuardSecurityEventsPurge1764000000112 implements MigrationInterface {
  name = 'GuardSecurityEventsPurge1764000000112';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION security_events_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'DELETE'
           AND current_setting('account_recovery.purging', true) = 'on'
           AND OLD.occurred_at < now() - interval '30 days' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'security_events is append-only (%)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $fn$`);
    await queryRunner.query(`
      CREATE TRIGGER security_events_no_truncate
        BEFORE TRUNCATE ON security_events
        FOR EACH STATEMENT EXECUTE FUNCTION security_events_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER security_events_no_truncate ON security_events`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION security_events_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'DELETE'
           AND current_setting('account_recovery.purging', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'security_events is append-only (%)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $fn$`);
  }
}
