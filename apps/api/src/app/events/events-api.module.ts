import { Module } from '@nestjs/common';

import { UsersModule } from '../users/users.module';
import { EventsExportController } from './export/events-export.controller';
import { EventsExport } from './export/events-export.service';
import { RecoveryReportController } from './reports/recovery-report.controller';
import { RecoveryReports } from './reports/recovery-report.service';

/**
 * The read side of the audit trail (docs/architecture.md §10): the export and the reports, behind the
 * service API's keys (UsersModule's ServiceClients). Recording lives in EventsModule.
 */
@Module({
  imports: [UsersModule],
  controllers: [EventsExportController, RecoveryReportController],
  providers: [EventsExport, RecoveryReports],
})
export class EventsApiModule {}
