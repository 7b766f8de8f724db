import { parseInstant } from './instant-field';

describe('parseInstant', () => {
  it.each([
    ['2026-12-01', '2026-12-01T00:00:00.000Z'],
    ['2026-12-01T08:00Z', '2026-12-01T08:00:00.000Z'],
    ['2026-12-01T08:00:30Z', '2026-12-01T08:00:30.000Z'],
    ['2026-12-01T08:00:30.123456789Z', '2026-12-01T08:00:30.123Z'],
    ['2026-12-01T08:00:00+01:00', '2026-12-01T07:00:00.000Z'],
    ['2026-12-01T08:00:00-14:00', '2026-12-01T22:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('should read %s as %s', (value, iso) => {
    expect(parseInstant(value)?.toISOString()).toBe(iso);
  });

  it.each([
    '',
    'yesterday',
    '2026-12-01T08:00:00', // no zone
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-12-01T24:00:00Z',
    '2026-12-01T08:60:00Z',
    '2026-12-01T08:00:00+15:00',
    '0999-12-31',
    '+275760-09-13',
    '2026-W01',
    '2026-335',
    ' 2026-12-01',
    '1764979200',
  ])('should refuse %j', (value) => {
    expect(parseInstant(value)).toBe(null);
  });

  it('should refuse what is not a string', () => {
    expect(parseInstant(['2026-12-01'])).toBe(null);
    expect(parseInstant(1764979200)).toBe(null);
    expect(parseInstant(undefined)).toBe(null);
  });
});
