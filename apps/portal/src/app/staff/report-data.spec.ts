import type { RecoveryReport, RecoveryReportBucket } from '@account-recovery/contracts';

import { lastDays, reportView, successRate } from './report-data';

const ZERO = {
  requested: 0,
  emailsSent: 0,
  suppressed: 0,
  codesFailed: 0,
  completed: 0,
  failed: 0,
  mfaChallenges: 0,
};

function bucket(day: number, counts: Partial<RecoveryReportBucket> = {}): RecoveryReportBucket {
  return { ...ZERO, start: `2026-11-${String(day).padStart(2, '0')}T00:00:00.000Z`, ...counts };
}

describe('report data', () => {
  it('should give the success rate as completed out of finished resets, and none for zero', () => {
    expect(successRate(3, 1)).toBe(0.75);
    expect(successRate(5, 0)).toBe(1);
    expect(successRate(0, 4)).toBe(0);
    expect(successRate(0, 0)).toBeNull();
  });

  it('should cover the last 30 UTC days, today included', () => {
    const now = new Date('2026-11-30T15:20:00.000Z');
    const { from, to } = lastDays(now);
    expect(from.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(to).toBe(now);
  });

  it('should turn the report into totals and one chart with its table per measure', () => {
    const report: RecoveryReport = {
      interval: 'day',
      series: [
        bucket(1, { requested: 4, emailsSent: 3, suppressed: 1, completed: 2, failed: 1 }),
        bucket(2),
        bucket(3, { requested: 1200, emailsSent: 1, codesFailed: 5, completed: 1 }),
      ],
      totals: {
        ...ZERO,
        requested: 1204,
        emailsSent: 4,
        suppressed: 1,
        codesFailed: 5,
        completed: 3,
        failed: 1,
      },
    };
    const view = reportView(report, 'en-US');

    expect(view.firstDay).toBe('Nov 1');
    expect(view.lastDay).toBe('Nov 3');
    expect(view.successRate).toBe(0.75);
    expect(view.totals.map((total) => [total.label, total.value])).toEqual([
      ['Reset requests', '1,204'],
      ['Emails sent', '4'],
      ['Emails held back', '1'],
      ['Resets completed', '3'],
      ['Resets refused', '1'],
      ['Wrong codes', '5'],
      ['Success rate', '75%'],
    ]);
    expect(view.charts.map((chart) => chart.id)).toEqual([
      'chart-requests',
      'chart-emails',
      'chart-resets',
      'chart-codes',
      'chart-success',
    ]);
    const emails = view.charts[1];
    expect(emails?.days).toEqual(['Nov 1', 'Nov 2', 'Nov 3']);
    expect(emails?.series.map((series) => [series.label, series.values])).toEqual([
      ['Emails sent', [3, 0, 1]],
      ['Emails held back', [1, 0, 0]],
    ]);
    expect(emails?.summary).toContain('4 sent, 1 held back');
    // A day without a finished reset has no rate rather than 0 % or a division by zero.
    const success = view.charts[4];
    expect(success?.unit).toBe('rate');
    expect(success?.series[0]?.values).toEqual([2 / 3, null, 1]);
  });

  it('should show no rate for a range without a finished reset', () => {
    const view = reportView({ interval: 'day', series: [bucket(1)], totals: ZERO }, 'en-US');
    expect(view.successRate).toBeNull();
    expect(view.totals.at(-1)?.value).toBe('—');
  });
});
