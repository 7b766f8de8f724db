import {
  RecoveryCounts,
  RecoveryReport,
  REPORT_MAX_BUCKETS,
  ReportInterval,
} from '@account-recovery/contracts';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { ApiException } from '../../common/http/api-exception';
import { queryRows } from '../../database/query-rows';
import { parseInstant } from '../instant-field';
import { SecurityEventType } from '../security-event-types';
import { RecoveryReportQuery } from './recovery-report-query';

const BUCKET_MS: Readonly<Record<ReportInterval, number>> = { day: 86_400_000, hour: 3_600_000 };
/** Without `from`: the last 30 days by day, the last 24 hours by hour. */
const DEFAULT_BUCKETS: Readonly<Record<ReportInterval, number>> = { day: 30, hour: 24 };

/** The event types the report reads; the WHERE lets the per-type index skip the rest. */
const COUNTED_TYPES: SecurityEventType[] = [
  'reset.requested',
  'reset.requested_unknown',
  'reset.email_sent',
  'reset.email_suppressed',
  'reset.code_failed',
  'reset.completed',
  'reset.failed',
  'mfa.failed',
  'signin.succeeded',
];

/**
 * One statement: the events of the range counted per UTC bucket, joined to every bucket of
 * generate_series so a quiet day is a row of zeros, not a hole in a chart. The series runs
 * over `timestamp` in UTC (a day is 24 hours whatever the session's time zone).
 *
 * - requested: a request for an unknown address is stored as one `reset.requested_unknown`
 *   row per intake batch with `details.count` (its addresses never are); a count that is not
 *   a sane number counts as one request.
 * - mfaChallenges: second-factor checks, i.e. wrong codes (`mfa.failed`) plus sign-ins and
 *   resets that showed a factor (`details.secondFactor` names the method).
 */
const REPORT_SQL = `
  WITH counted AS (
    SELECT date_trunc($3::text, occurred_at, 'UTC') AS start,
           count(*) FILTER (WHERE type = 'reset.requested')
             + COALESCE(sum(CASE WHEN jsonb_typeof(details->'count') = 'number'
                                  AND (details->>'count')::numeric BETWEEN 0 AND 1000000000
                                 THEN floor((details->>'count')::numeric) ELSE 1 END)
                        FILTER (WHERE type = 'reset.requested_unknown'), 0) AS requested,
           count(*) FILTER (WHERE type = 'reset.email_sent') AS "emailsSent",
           count(*) FILTER (WHERE type = 'reset.email_suppressed') AS suppressed,
           count(*) FILTER (WHERE type IN ('reset.code_failed', 'mfa.failed')) AS "codesFailed",
           count(*) FILTER (WHERE type = 'reset.completed') AS completed,
           count(*) FILTER (WHERE type = 'reset.failed') AS failed,
           count(*) FILTER (WHERE type = 'mfa.failed'
                              OR (type IN ('signin.succeeded', 'reset.completed')
                                  AND details->>'secondFactor' IS NOT NULL)) AS "mfaChallenges"
      FROM security_events
     WHERE occurred_at >= $1 AND occurred_at < $2 AND type = ANY ($4::text[])
     GROUP BY 1
  )
  SELECT b.start AT TIME ZONE 'UTC' AS start,
         COALESCE(c.requested, 0)::bigint AS requested,
         COALESCE(c."emailsSent", 0) AS "emailsSent",
         COALESCE(c.suppressed, 0) AS suppressed,
         COALESCE(c."codesFailed", 0) AS "codesFailed",
         COALESCE(c.completed, 0) AS completed,
         COALESCE(c.failed, 0) AS failed,
         COALESCE(c."mfaChallenges", 0) AS "mfaChallenges"
    FROM generate_series($1::timestamptz AT TIME ZONE 'UTC',
                         $2::timestamptz AT TIME ZONE 'UTC' - $5::interval,
                         $5::interval) AS b (start)
    LEFT JOIN counted c ON c.start = b.start AT TIME ZONE 'UTC'
   ORDER BY b.start`;

type CountRow = { start: Date } & Record<keyof RecoveryCounts, string>;

/** The counts, each read by `count` (bigints arrive from pg as strings). */
function countsOf(count: (key: keyof RecoveryCounts) => number): RecoveryCounts {
  return {
    requested: count('requested'),
    emailsSent: count('emailsSent'),
    suppressed: count('suppressed'),
    codesFailed: count('codesFailed'),
    completed: count('completed'),
    failed: count('failed'),
    mfaChallenges: count('mfaChallenges'),
  };
}

/** The bucket-aligned range a query asks for: from down, to up, to whole buckets. */
export function reportRange(
  query: RecoveryReportQuery,
  now: Date,
): { interval: ReportInterval; from: Date; to: Date; buckets: number } {
  const interval = query.interval ?? 'day';
  const step = BUCKET_MS[interval];
  const toMs = (parseInstant(query.to) ?? now).getTime();
  const to = Math.ceil(toMs / step) * step;
  const fromMs = parseInstant(query.from)?.getTime() ?? to - DEFAULT_BUCKETS[interval] * step;
  const from = Math.floor(fromMs / step) * step;
  const buckets = (to - from) / step;
  if (buckets > REPORT_MAX_BUCKETS[interval]) {
    throw ApiException.validation({
      to: [
        {
          key: 'field.report-too-long',
          values: { interval, max: REPORT_MAX_BUCKETS[interval] },
        },
      ],
    });
  }
  return { interval, from: new Date(from), to: new Date(to), buckets };
}

/** `GET /v1/reports/recovery`: the recovery funnel per UTC day or hour, from the events. */
@Injectable()
export class RecoveryReports {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async report(query: RecoveryReportQuery): Promise<RecoveryReport> {
    const { interval, from, to } = reportRange(query, new Date());
    const rows = await queryRows<CountRow>(this.dataSource, REPORT_SQL, [
      from,
      to,
      interval,
      COUNTED_TYPES,
      `1 ${interval}`,
    ]);
    const series = rows.map((row) => ({
      start: row.start.toISOString(),
      ...countsOf((key) => Number(row[key])),
    }));
    const totals = countsOf((key) => series.reduce((sum, bucket) => sum + bucket[key], 0));
    return { interval, series, totals };
  }
}
