import { Module } from '@nestjs/common';

import { UsersModule } from '../users/users.module';
import { EventsExportController } from './export/events-export.controller';
import { EventsExport } from './export/events-export.service';

/**
 * The read side of the audit trail (DESIGN §4.2): the export, behind the
 * service API's keys (UsersModule's ServiceClients). Recording lives in EventsModule.
 */
@Module({
  imports: [UsersModule],
  controllers: [EventsExportController],
  providers: [EventsExport],
})
export class EventsApiModule {}
