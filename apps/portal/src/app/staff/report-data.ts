import type { RecoveryCounts, RecoveryReport } from '@account-recovery/contracts';

import { formatCount, formatDay, formatRate } from './formatting';

/** The reports page covers the last 30 UTC days, today included, a bucket a day. */
export const REPORT_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Colours with at least 3:1 against white (WCAG 1.4.11); the legend and tables name them. */
const COLOURS = {
  blue: '#1d4ed8',
  orange: '#b45309',
  green: '#047857',
  red: '#b42318',
  purple: '#6d28d9',
} as const;

export interface ChartSeries {
  label: string;
  /** One value a day; null where there is nothing to show (a rate without resets). */
  values: readonly (number | null)[];
  colour: string;
}

/** One chart and the table beside it: the same numbers, drawn and written. */
export interface ChartSpec {
  id: string;
  title: string;
  kind: 'bar' | 'line';
  unit: 'count' | 'rate';
  /** The day of each value, as the axis and the table's rows name it. */
  days: readonly string[];
  series: readonly ChartSeries[];
  /** What the chart shows, in words: the canvas's accessible name. */
  summary: string;
}

export interface ReportTotal {
  label: string;
  value: string;
}

export interface ReportView {
  firstDay: string;
  lastDay: string;
  totals: readonly ReportTotal[];
  /** Completed out of finished resets over the whole range; null when none finished. */
  successRate: number | null;
  charts: readonly ChartSpec[];
}

/** From the start of the UTC day `days − 1` days ago until now. */
export function lastDays(now: Date, days: number = REPORT_DAYS): { from: Date; to: Date } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { from: new Date(today - (days - 1) * DAY_MS), to: now };
}

/** Completed resets out of finished ones (completed + failed); null with none finished. */
export function successRate(completed: number, failed: number): number | null {
  const finished = completed + failed;
  return finished > 0 ? completed / finished : null;
}

/** The report as the page shows it: totals, the success rate, and one spec per chart. */
export function reportView(report: RecoveryReport, locale: string): ReportView {
  const days = report.series.map((bucket) => formatDay(bucket.start, locale));
  const column = (key: keyof RecoveryCounts) => report.series.map((bucket) => bucket[key]);
  const sum = (key: keyof RecoveryCounts) => formatCount(report.totals[key], locale);
  const rate = successRate(report.totals.completed, report.totals.failed);
  const count = days.length;
  const chart = (
    id: string,
    title: string,
    series: ChartSeries[],
    summary: string,
    kind: ChartSpec['kind'] = 'bar',
  ): ChartSpec => ({ id, title, kind, unit: 'count', days, series, summary });

  return {
    firstDay: days[0] ?? '',
    lastDay: days[days.length - 1] ?? '',
    successRate: rate,
    totals: [
      { label: $localize`:@@report.requested:Reset requests`, value: sum('requested') },
      { label: $localize`:@@report.emailsSent:Emails sent`, value: sum('emailsSent') },
      { label: $localize`:@@report.suppressed:Emails held back`, value: sum('suppressed') },
      { label: $localize`:@@report.completed:Resets completed`, value: sum('completed') },
      { label: $localize`:@@report.failed:Resets refused`, value: sum('failed') },
      { label: $localize`:@@report.codesFailed:Wrong codes`, value: sum('codesFailed') },
      { label: $localize`:@@report.successRate:Success rate`, value: formatRate(rate, locale) },
    ],
    charts: [
      chart(
        'chart-requests',
        $localize`:@@report.requestsTitle:Reset requests`,
        [
          {
            label: $localize`:@@report.requested:Reset requests`,
            values: column('requested'),
            colour: COLOURS.blue,
          },
        ],
        $localize`:@@report.requestsSummary:Bar chart of reset requests per day over ${count}:days: days, ${sum('requested')}:total: in all. The table beside it has each day.`,
      ),
      chart(
        'chart-emails',
        $localize`:@@report.emailsTitle:Emails sent and held back`,
        [
          {
            label: $localize`:@@report.emailsSent:Emails sent`,
            values: column('emailsSent'),
            colour: COLOURS.blue,
          },
          {
            label: $localize`:@@report.suppressed:Emails held back`,
            values: column('suppressed'),
            colour: COLOURS.orange,
          },
        ],
        $localize`:@@report.emailsSummary:Bar chart of reset emails per day over ${count}:days: days: ${sum('emailsSent')}:sent: sent, ${sum('suppressed')}:suppressed: held back by a limit. The table beside it has each day.`,
      ),
      chart(
        'chart-resets',
        $localize`:@@report.resetsTitle:Resets completed and refused`,
        [
          {
            label: $localize`:@@report.completed:Resets completed`,
            values: column('completed'),
            colour: COLOURS.green,
          },
          {
            label: $localize`:@@report.failed:Resets refused`,
            values: column('failed'),
            colour: COLOURS.red,
          },
        ],
        $localize`:@@report.resetsSummary:Bar chart of password resets per day over ${count}:days: days: ${sum('completed')}:completed: completed, ${sum('failed')}:failed: refused. The table beside it has each day.`,
      ),
      chart(
        'chart-codes',
        $localize`:@@report.codesTitle:Wrong codes`,
        [
          {
            label: $localize`:@@report.codesFailed:Wrong codes`,
            values: column('codesFailed'),
            colour: COLOURS.purple,
          },
        ],
        $localize`:@@report.codesSummary:Bar chart of wrong emailed and two-step codes per day over ${count}:days: days, ${sum('codesFailed')}:total: in all. The table beside it has each day.`,
      ),
      {
        id: 'chart-success',
        title: $localize`:@@report.successTitle:Success rate of resets`,
        kind: 'line',
        unit: 'rate',
        days,
        series: [
          {
            label: $localize`:@@report.successRate:Success rate`,
            values: report.series.map((bucket) => successRate(bucket.completed, bucket.failed)),
            colour: COLOURS.green,
          },
        ],
        summary: $localize`:@@report.successSummary:Line chart of the share of finished resets that completed, per day over ${count}:days: days; ${formatRate(rate, locale)}:rate: over the whole range. Days without a finished reset have no point. The table beside it has each day.`,
      },
    ],
  };
}
