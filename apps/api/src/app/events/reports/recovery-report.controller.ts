import { REPORT_MAX_BUCKETS } from '@account-recovery/contracts';

import { Controller, Get, Header, HttpStatus, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';

import { ApiErrorResponses } from '../../common/http/api-error-responses';
import { RequireScope, ServiceAuthGuard } from '../../users/service-auth.guard';
import { RecoveryReportQuery } from './recovery-report-query';
import { RecoveryReportDto } from './recovery-report.dto';
import { RecoveryReports } from './recovery-report.service';

const { BAD_REQUEST, UNAUTHORIZED, FORBIDDEN } = HttpStatus;

@ApiTags('reports (service API)')
@ApiSecurity('api-key')
@UseGuards(ServiceAuthGuard)
@Controller({ path: 'reports', version: '1' })
export class RecoveryReportController {
  constructor(private readonly reports: RecoveryReports) {}

  @Get('recovery')
  @RequireScope('reports:read')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Count the recovery funnel per UTC day or hour',
    description:
      `Buckets are whole UTC days or hours: \`from\` is widened down to its bucket's start, \`to\` (exclusive) up to a bucket's end; every bucket is listed, zeros included. ` +
      `Default: the last 30 days by day (the last 24 hours by hour). At most ${REPORT_MAX_BUCKETS.day} days by day and ${REPORT_MAX_BUCKETS.hour} hours by hour, else 400.`,
  })
  @ApiResponse({ status: HttpStatus.OK, type: RecoveryReportDto })
  @ApiErrorResponses(BAD_REQUEST, UNAUTHORIZED, FORBIDDEN)
  async recovery(@Query() query: RecoveryReportQuery): Promise<RecoveryReportDto> {
    return this.reports.report(query);
  }
}
