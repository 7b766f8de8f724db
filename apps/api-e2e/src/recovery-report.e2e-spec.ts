import { randomUUID } from 'node:crypto';

import type { EventsPage, RecoveryCounts, RecoveryReport } from '@account-recovery/contracts';
import { ApiProcess } from '@account-recovery/testing';

import { EventRow, insertEvents, insertKey } from './support/event-rows';

const API_KEY = 'recovery-report-e2e-key-8e3a61f0c7';
const REPORT = '/api/v1/reports/recovery';
const ZERO: RecoveryCounts = {
  requested: 0,
  emailsSent: 0,
  suppressed: 0,
  codesFailed: 0,
  completed: 0,
  failed: 0,
  mfaChallenges: 0,
};

/** `GET /v1/reports/recovery` (docs/architecture.md §10): its counts are the events', bucket by bucket. */
describe('recovery report', () => {
  let api: ApiProcess;
  const key = { 'x-api-key': API_KEY };

  beforeAll(async () => {
    api = await ApiProcess.start({ SMTP_URL: 'smtp://127.0.0.1:9', SERVICE_API_KEYS: API_KEY });
  });

  afterAll(async () => {
    await api?.stop();
  });

  async function report(query: Record<string, string>): Promise<RecoveryReport> {
    const result = await api.get(`${REPORT}?${new URLSearchParams(query).toString()}`, key);
    expect({ status: result.status, body: result.body }).toEqual({
      status: 200,
      body: expect.any(Object),
    });
    return result.body as unknown as RecoveryReport;
  }

  it('should count each kind of event in its UTC day, edges included, and zeros for quiet days', async () => {
    const user = randomUUID();
    const day = (d: string, time: string, type: string, details?: EventRow['details']) => ({
      type,
      at: `2025-07-${d}T${time}Z`,
      userId: user,
      details,
    });
    await insertEvents(api, [
      // 10 July, from its first microsecond to its last
      day('10', '00:00:00.000000', 'reset.requested'),
      day('10', '00:00:00.000001', 'reset.requested_unknown', { count: 5 }),
      day('10', '08:00:00', 'reset.email_sent'),
      day('10', '08:00:01', 'reset.email_suppressed', { reason: 'rate_limited' }),
      day('10', '09:00:00', 'reset.code_failed'),
      day('10', '09:00:01', 'mfa.failed'),
      day('10', '09:00:02', 'reset.completed', { secondFactor: 'totp' }),
      day('10', '23:59:59.999999', 'reset.failed', { code: 'TOKEN_EXPIRED' }),
      // 11 July: nothing. 12 July, its first microsecond
      day('12', '00:00:00.000000', 'reset.requested'),
      day('12', '10:00:00', 'signin.succeeded', { secondFactor: 'recovery_code' }),
      day('12', '10:00:01', 'signin.succeeded'),
      day('12', '10:00:02', 'reset.completed'),
      day('12', '10:00:03', 'reset.requested_unknown', { count: 2 }),
      // Not counted by the report
      day('12', '11:00:00', 'user.created'),
      day('12', '11:00:01', 'reset.link_validated'),
      // Outside the range on both sides
      day('09', '23:59:59.999999', 'reset.requested'),
      day('13', '00:00:00.000000', 'reset.requested'),
    ]);
    const got = await report({ from: '2025-07-10', to: '2025-07-13', interval: 'day' });
    const day10 = {
      requested: 6,
      emailsSent: 1,
      suppressed: 1,
      codesFailed: 2,
      completed: 1,
      failed: 1,
      mfaChallenges: 2,
    };
    const day12 = { ...ZERO, requested: 3, completed: 1, mfaChallenges: 1 };
    expect(got).toEqual({
      interval: 'day',
      series: [
        { start: '2025-07-10T00:00:00.000Z', ...day10 },
        { start: '2025-07-11T00:00:00.000Z', ...ZERO },
        { start: '2025-07-12T00:00:00.000Z', ...day12 },
      ],
      totals: { ...day10, requested: 9, completed: 2, mfaChallenges: 3 },
    });
    // Bounds inside a day widen to the whole day.
    expect(
      (await report({ from: '2025-07-10T12:00:00Z', to: '2025-07-10T13:00:00Z' })).series,
    ).toEqual([{ start: '2025-07-10T00:00:00.000Z', ...day10 }]);
  });

  it('should agree with the exported events hour by hour', async () => {
    const types = [
      'reset.requested',
      'reset.email_sent',
      'reset.email_suppressed',
      'reset.code_failed',
      'mfa.failed',
      'reset.completed',
      'reset.failed',
    ];
    // A fixed pseudo-random spread over six hours, on and off the hour boundaries.
    const rows: EventRow[] = Array.from({ length: 300 }, (_, n) => {
      const seconds = (n * 7877) % (6 * 3600);
      const at = new Date(Date.UTC(2025, 7, 20, 6) + seconds * 1000).toISOString();
      return { type: types[(n * 31) % types.length], at, userId: randomUUID() };
    });
    await insertEvents(api, rows);
    const got = await report({
      from: '2025-08-20T06:00:00Z',
      to: '2025-08-20T12:00:00Z',
      interval: 'hour',
    });
    expect(got.series.map((bucket) => bucket.start)).toEqual(
      [6, 7, 8, 9, 10, 11].map((hour) => `2025-08-20T${String(hour).padStart(2, '0')}:00:00.000Z`),
    );

    // Count what GET /v1/events gives for each hour, page by page.
    for (const bucket of got.series) {
      const until = new Date(Date.parse(bucket.start) + 3_600_000).toISOString();
      const seen: Record<string, number> = {};
      for (const type of types) {
        const result = await api.get(
          `/api/v1/events?type=${type}&since=${bucket.start}&until=${until}&limit=500`,
          key,
        );
        const events = result.body as unknown as EventsPage;
        expect(events.nextCursor).toBe(null);
        seen[type] = events.items.length;
      }
      expect(bucket).toEqual({
        start: bucket.start,
        requested: seen['reset.requested'],
        emailsSent: seen['reset.email_sent'],
        suppressed: seen['reset.email_suppressed'],
        codesFailed: seen['reset.code_failed'] + seen['mfa.failed'],
        completed: seen['reset.completed'],
        failed: seen['reset.failed'],
        mfaChallenges: seen['mfa.failed'],
      });
    }
    // Every event of the six hours is counted once (mfa.failed under codesFailed).
    const counted = (bucket: RecoveryCounts) =>
      bucket.requested +
      bucket.emailsSent +
      bucket.suppressed +
      bucket.codesFailed +
      bucket.completed +
      bucket.failed;
    const sum = got.series.reduce((total, bucket) => total + counted(bucket), 0);
    expect(sum).toBe(300);
    expect(counted(got.totals)).toBe(300);
  });

  it('should default to the last 30 days by day, and refuse ranges past the caps', async () => {
    const got = await report({});
    expect(got.interval).toBe('day');
    expect(got.series).toHaveLength(30);
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    expect(got.series[29].start).toBe(today.toISOString());
    expect((await report({ interval: 'hour' })).series).toHaveLength(24);
    expect((await report({ from: '2025-01-01', to: '2026-01-02' })).series).toHaveLength(366);
    expect(
      (await report({ from: '2025-01-01', to: '2025-02-01', interval: 'hour' })).series,
    ).toHaveLength(744);

    const refused: Record<string, string>[] = [
      { from: '2025-01-01', to: '2026-01-03' },
      { from: '2025-01-01', to: '2025-02-01T00:00:01Z', interval: 'hour' },
      { from: '2025-01-02', to: '2025-01-01' },
      { interval: 'week' },
      { from: 'last month' },
      { to: '2025-01-01T10:00' },
      { since: '2025-01-01' },
    ];
    for (const query of refused) {
      const result = await api.get(`${REPORT}?${new URLSearchParams(query).toString()}`, key);
      expect({ query, status: result.status, code: result.body['code'] }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('should answer 401 without a key and 403 to a key without reports:read', async () => {
    expect((await api.get(REPORT)).status).toBe(401);
    const siem = await insertKey(api, 'siem-only', ['events:read']);
    const forbidden = await api.get(REPORT, { 'x-api-key': siem });
    expect({ status: forbidden.status, code: forbidden.body['code'] }).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    const dashboards = await insertKey(api, 'dashboards', ['reports:read']);
    expect((await api.get(REPORT, { 'x-api-key': dashboards })).status).toBe(200);
  });
});
