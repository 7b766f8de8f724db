import { Global, Module } from '@nestjs/common';

import { SecurityEvents } from './security-events.service';

/** The audit trail. Global, so any service records in its own transaction. */
@Global()
@Module({
  providers: [SecurityEvents],
  exports: [SecurityEvents],
})
export class EventsModule {}
