import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhook outbox: one row per event and endpoint, written in the transaction of the
 * change it reports. `id` orders a user's events; `message_id` is the `webhook-id` header,
 * the same on every attempt so receivers can drop duplicates. No foreign key to users:
 * `user.deleted` must outlive its user.
 */
export class CreateWebhookEvents1764000000003 implements MigrationInterface {
  name = 'CreateWebhookEvents1764000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_events (
        id bigserial PRIMARY KEY,
        endpoint text NOT NULL,
        user_id uuid NOT NULL,
        type text NOT NULL,
        message_id text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_attempt_at timestamptz,
        last_error text,
        CONSTRAINT uq_webhook_events_endpoint_message UNIQUE (endpoint, message_id)
      )`);
    // What a flush reads: one user's undelivered events for one endpoint, oldest first.
    await queryRunner.query(`
      CREATE INDEX ix_webhook_events_pending ON webhook_events (endpoint, user_id, id)
        WHERE delivered_at IS NULL`);
    // What the retention sweep deletes.
    await queryRunner.query(`
      CREATE INDEX ix_webhook_events_delivered_at ON webhook_events (delivered_at)
        WHERE delivered_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_events`);
  }
}
