import { REPORT_INTERVALS, ReportInterval } from '@account-recovery/contracts';

import { ApiPropertyOptional } from '@nestjs/swagger';

import { IsIn, IsOptional } from '../../common/validation/validators';
import { InstantField, NotBefore } from '../instant-field';

/** The range and bucket size of `GET /v1/reports/recovery`. */
export class RecoveryReportQuery {
  @InstantField('Start of the range (widened to its bucket start); default: `to` less 30 days')
  from?: string;

  @InstantField('End of the range, exclusive (widened to a bucket end); default: now')
  @NotBefore('from')
  to?: string;

  @ApiPropertyOptional({ enum: REPORT_INTERVALS, default: 'day', description: 'Bucket size, UTC' })
  @IsOptional()
  @IsIn(REPORT_INTERVALS)
  interval?: ReportInterval;
}
