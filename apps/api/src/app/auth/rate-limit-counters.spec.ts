import { MemoryCounters } from './rate-limit-counters';

describe('MemoryCounters', () => {
  let counters: MemoryCounters;
  afterEach(() => counters.stop());

  it('should count per key within a window and start over after it', () => {
    counters = new MemoryCounters(60_000);
    expect(counters.hit('forgot:10.0.0.1', 1000)).toEqual({ count: 1, resetInMs: 60_000 });
    expect(counters.hit('forgot:10.0.0.1', 31_000)).toEqual({ count: 2, resetInMs: 30_000 });
    expect(counters.hit('forgot:10.0.0.2', 31_000)).toEqual({ count: 1, resetInMs: 60_000 });
    expect(counters.hit('login:10.0.0.1', 31_000).count).toBe(1);
    // The window opened at 1,000 ends at 61,000.
    expect(counters.hit('forgot:10.0.0.1', 61_000)).toEqual({ count: 1, resetInMs: 60_000 });
  });

  it('should bound its memory under a flood of distinct addresses', () => {
    counters = new MemoryCounters(60_000);
    for (let i = 0; i < 200_050; i++)
      counters.hit(`forgot:10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 5);
    // Full at 200,000: the oldest sixteenth went at once, then the last 50 came in.
    expect(counters.size).toBe(200_000 - 12_500 + 50);
    // The newest key is still counted; the oldest were dropped to make room.
    expect(counters.hit('forgot:10.3.13.81', 6).count).toBe(2);
    expect(counters.hit('forgot:10.0.0.0', 6).count).toBe(1);
  });
});
