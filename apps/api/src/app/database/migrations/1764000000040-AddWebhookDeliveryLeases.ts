import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deliveries claim a user's pending events with a lease instead of holding a transaction
 * open across the HTTP calls: `lease_owner` names the claim, `locked_until` is when another
 * worker may take the events over (the owner crashed or stalled).
 */
export class AddWebhookDeliveryLeases1764000000040 implements MigrationInterface {
  name = 'AddWebhookDeliveryLeases1764000000040';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_events
        ADD COLUMN lease_owner uuid,
        ADD COLUMN locked_until timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_events DROP COLUMN lease_owner, DROP COLUMN locked_until`);
  }
}
