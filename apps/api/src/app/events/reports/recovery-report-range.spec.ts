import { ApiException } from '../../common/http/api-exception';
import { reportRange } from './recovery-report.service';

const NOW = new Date('2026-12-06T05:23:04.000Z');
const iso = (range: { from: Date; to: Date }) => [range.from.toISOString(), range.to.toISOString()];

describe('reportRange', () => {
  it('should default to the last 30 UTC days, today included', () => {
    const range = reportRange({}, NOW);
    expect(iso(range)).toEqual(['2026-11-07T00:00:00.000Z', '2026-12-07T00:00:00.000Z']);
    expect(range).toMatchObject({ interval: 'day', buckets: 30 });
  });

  it('should default to the last 24 hours by hour, this hour included', () => {
    const range = reportRange({ interval: 'hour' }, NOW);
    expect(iso(range)).toEqual(['2026-12-05T06:00:00.000Z', '2026-12-06T06:00:00.000Z']);
    expect(range.buckets).toBe(24);
  });

  it('should widen from down and to up to whole buckets, and keep aligned bounds', () => {
    expect(
      iso(reportRange({ from: '2026-11-01T10:30:00Z', to: '2026-11-03T00:00:01Z' }, NOW)),
    ).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-04T00:00:00.000Z']);
    expect(iso(reportRange({ from: '2026-11-01', to: '2026-12-01' }, NOW))).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ]);
    // Zones are applied before the bucketing: 01:30 at +02:00 is 23:30 UTC the day before.
    expect(
      iso(
        reportRange(
          { from: '2026-11-02T01:30:00+02:00', to: '2026-11-02T02:00:00+02:00', interval: 'hour' },
          NOW,
        ),
      ),
    ).toEqual(['2026-11-01T23:00:00.000Z', '2026-11-02T00:00:00.000Z']);
  });

  it('should take 366 days by day and 744 hours by hour, and refuse one more', () => {
    expect(reportRange({ from: '2025-01-01', to: '2026-01-02' }, NOW).buckets).toBe(366);
    expect(() => reportRange({ from: '2025-01-01', to: '2026-01-03' }, NOW)).toThrow(ApiException);
    const month = { from: '2026-10-01', to: '2026-11-01', interval: 'hour' as const };
    expect(reportRange(month, NOW).buckets).toBe(744);
    expect(() => reportRange({ ...month, to: '2026-11-01T00:00:01Z' }, NOW)).toThrow(ApiException);
  });
});
