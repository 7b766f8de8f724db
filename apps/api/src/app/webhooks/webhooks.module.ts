import { Global, Module } from '@nestjs/common';

import { WebhookDeliveries } from './webhook-deliveries.service';
import { WebhookPublisher } from './webhook-publisher.service';

/**
 * Standard Webhooks for other systems (docs/webhooks.md). Global so that any service can
 * inject WebhookPublisher and publish in its own transaction.
 */
@Global()
@Module({
  providers: [WebhookPublisher, WebhookDeliveries],
  exports: [WebhookPublisher],
})
export class WebhooksModule {}
