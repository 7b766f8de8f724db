import { API_PATHS, type RecoveryReport } from '@account-recovery/contracts';

import { textOf, wait } from '../../testing/page-testing';
import { openStaffPage } from '../../testing/staff-testing';
import { drawChart } from './chart-drawing';

// jsdom has no canvas: the drawing itself is left out, what it is given is checked.
jest.mock('./chart-drawing', () => ({ drawChart: jest.fn(() => ({ destroy: jest.fn() })) }));

const REPORT: RecoveryReport = {
  interval: 'day',
  series: [
    {
      start: '2026-11-01T00:00:00.000Z',
      requested: 7,
      emailsSent: 6,
      suppressed: 1,
      codesFailed: 2,
      completed: 0,
      failed: 0,
      mfaChallenges: 0,
    },
  ],
  totals: {
    requested: 7,
    emailsSent: 6,
    suppressed: 1,
    codesFailed: 2,
    completed: 0,
    failed: 0,
    mfaChallenges: 0,
  },
};

describe('ReportsPage', () => {
  it('should ask for the last 30 days by day, and draw each chart with a table beside it', async () => {
    const { harness, http } = await openStaffPage('/admin/reports');
    const request = http.expectOne((r) => r.url === API_PATHS.recoveryReport);
    expect(request.request.params.get('interval')).toBe('day');
    const from = Date.parse(request.request.params.get('from') ?? '');
    const to = Date.parse(request.request.params.get('to') ?? '');
    expect(Math.round((to - from) / 86_400_000)).toBeGreaterThanOrEqual(29);
    expect(Math.round((to - from) / 86_400_000)).toBeLessThanOrEqual(30);
    request.flush(REPORT);
    await harness.fixture.whenStable();
    await wait(20);
    await harness.fixture.whenStable();

    const canvases = document.querySelectorAll('canvas[role="img"]');
    expect(canvases).toHaveLength(5);
    expect(canvases[0]?.getAttribute('aria-label')).toContain('Bar chart of reset requests');
    expect(document.querySelectorAll('.report-chart table')).toHaveLength(5);
    const firstRow = document.querySelector('.report-chart tbody tr');
    expect(Array.from(firstRow?.children ?? []).map(textOf)).toEqual(['Nov 1', '7']);
    expect(textOf(document.body)).toContain('there is no success rate yet');
    expect(jest.mocked(drawChart)).toHaveBeenCalledTimes(5);
    const [, spec, options] = jest.mocked(drawChart).mock.calls[0] ?? [];
    expect(spec?.id).toBe('chart-requests');
    expect(options?.format(1234)).toBe('1,234');
  });
});
