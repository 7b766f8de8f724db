import {
  RecoveryCounts,
  RecoveryReport,
  RecoveryReportBucket,
  REPORT_INTERVALS,
  ReportInterval,
} from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';

/** Swagger descriptions of `GET /v1/reports/recovery`; the types live in contracts. */
export class RecoveryCountsDto implements RecoveryCounts {
  @ApiProperty({ description: 'Reset requests, known and unknown addresses alike' })
  requested!: number;

  @ApiProperty({ description: 'Reset emails sent' })
  emailsSent!: number;

  @ApiProperty({ description: 'Reset emails a limit held back' })
  suppressed!: number;

  @ApiProperty({ description: 'Wrong emailed codes and wrong second-factor codes' })
  codesFailed!: number;

  @ApiProperty({ description: 'Resets completed' })
  completed!: number;

  @ApiProperty({ description: 'Resets refused (an expired or used link, a policy refusal…)' })
  failed!: number;

  @ApiProperty({
    description: 'Second-factor checks: wrong codes plus sign-ins and resets that showed one',
  })
  mfaChallenges!: number;
}

export class RecoveryReportBucketDto extends RecoveryCountsDto implements RecoveryReportBucket {
  @ApiProperty({ format: 'date-time', description: "The bucket's first instant, UTC" })
  start!: string;
}

export class RecoveryReportDto implements RecoveryReport {
  @ApiProperty({ enum: REPORT_INTERVALS })
  interval!: ReportInterval;

  @ApiProperty({ type: [RecoveryReportBucketDto], description: 'Every bucket, oldest first' })
  series!: RecoveryReportBucketDto[];

  @ApiProperty({ type: RecoveryCountsDto })
  totals!: RecoveryCountsDto;
}
