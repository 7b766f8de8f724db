/**
 * The audit export of the v1 API (docs/architecture.md §10): `GET /v1/events` pages through the security
 * events, newest first; `GET /v1/reports/recovery` counts the recovery funnel per UTC bucket.
 */

/** One security event as the export gives it. */
export interface EventItem {
  /** The row's identity, a decimal string: a bigint does not fit a JSON number. */
  id: string;
  /** One of the API's event types, e.g. `reset.completed` (the OpenAPI document lists them). */
  type: string;
  occurredAt: string;
  userId: string | null;
  /** `self`, `system`, `service:<client name>` or `staff:<user id>`. */
  actor: string;
  ip: string | null;
  userAgent: string | null;
  /** Facts only (a reason, a contract error code, a count); never a secret. */
  details: Record<string, string | number | boolean | null>;
}

export interface EventsPage {
  items: EventItem[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export const EVENTS_PAGE_LIMIT = { default: 50, max: 500 } as const;

/** The CSV export's columns, in order; `details` is its JSON text. */
export const EVENT_CSV_COLUMNS = [
  'id',
  'type',
  'occurredAt',
  'userId',
  'actor',
  'ip',
  'userAgent',
  'details',
] as const;

/** The header that carries the next page's cursor of a CSV answer (absent on the last page). */
export const NEXT_CURSOR_HEADER = 'X-Next-Cursor';

export const REPORT_INTERVALS = ['day', 'hour'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

/** The widest range one report covers, in buckets of its interval (a year; a month). */
export const REPORT_MAX_BUCKETS: Readonly<Record<ReportInterval, number>> = {
  day: 366,
  hour: 744,
};

/** What one bucket of the recovery report counts. */
export interface RecoveryCounts {
  /** Reset requests, for known and unknown addresses alike. */
  requested: number;
  emailsSent: number;
  /** Emails a limit held back (per-address limit, a newer link, an account already reset). */
  suppressed: number;
  /** Wrong emailed codes and wrong second-factor codes. */
  codesFailed: number;
  completed: number;
  failed: number;
  /** Second-factor checks: wrong codes plus sign-ins and resets that showed a factor. */
  mfaChallenges: number;
}

export interface RecoveryReportBucket extends RecoveryCounts {
  /** The bucket's first instant (UTC, ISO 8601); it runs for one interval. */
  start: string;
}

export interface RecoveryReport {
  interval: ReportInterval;
  series: RecoveryReportBucket[];
  totals: RecoveryCounts;
}
