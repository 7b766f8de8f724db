import fc from 'fast-check';

import { MemoryCounters } from './memory-counters';

describe('MemoryCounters', () => {
  let counters: MemoryCounters;
  afterEach(() => {
    counters.stop();
    jest.useRealTimers();
  });

  it('should count per key within a window and start over after it', () => {
    counters = new MemoryCounters(60_000);
    expect(counters.hit('forgot:10.0.0.1', 1000)).toEqual({ count: 1, resetInMs: 60_000 });
    expect(counters.hit('forgot:10.0.0.1', 31_000)).toEqual({ count: 2, resetInMs: 30_000 });
    expect(counters.hit('forgot:10.0.0.2', 31_000)).toEqual({ count: 1, resetInMs: 60_000 });
    expect(counters.hit('login:10.0.0.1', 31_000).count).toBe(1);
    // The window opened at 1,000 ends at 61,000; the others keep theirs.
    expect(counters.hit('forgot:10.0.0.1', 60_999)).toEqual({ count: 3, resetInMs: 1 });
    expect(counters.hit('forgot:10.0.0.1', 61_000)).toEqual({ count: 1, resetInMs: 60_000 });
    expect(counters.hit('forgot:10.0.0.2', 61_000)).toEqual({ count: 2, resetInMs: 30_000 });
  });

  it('should count a key built by concatenation and the same text as one key', () => {
    counters = new MemoryCounters(60_000);
    const name = 'forgotPerMinute';
    const client = ['2001', 'db8', '0', '1', '0', '0', '0', '0'].join(':');
    expect(counters.hit(`${name}:${client}/64`, 0).count).toBe(1);
    expect(counters.hit('forgotPerMinute:2001:db8:0:1:0:0:0:0/64', 1).count).toBe(2);
    // Nearly equal keys are other keys: a space, a digit more, a character outside Latin-1.
    expect(counters.hit(' forgotPerMinute:2001:db8:0:1:0:0:0:0/64', 2).count).toBe(1);
    expect(counters.hit('forgotPerMinute:2001:db8:0:10:0:0:0:0/64', 3).count).toBe(1);
    expect(counters.hit('forgotPerMinute:2001:db8:0:1:0:0:0:0/6\u0134', 4).count).toBe(1);
    expect(counters.size).toBe(4);
  });

  it('should keep the 200,000 keys of a flood apart', () => {
    counters = new MemoryCounters(60_000);
    const key = (i: number) =>
      i % 2 === 0
        ? `forgot:10.${i >> 17}.${(i >> 9) & 255}.${(i >> 1) & 255}`
        : `forgot:2001:db8:${(i >> 17).toString(16)}:${((i >> 1) & 0xffff).toString(16)}:0:0:0:0/64`;
    for (let i = 0; i < 200_000; i++) counters.hit(key(i), 5);
    expect(counters.size).toBe(200_000);
    let merged = 0;
    for (let i = 0; i < 200_000; i++) if (counters.hit(key(i), 6).count !== 2) merged++;
    expect(merged).toBe(0);
  });

  it('should forget ended windows when the sweeper runs, and only those', () => {
    jest.useFakeTimers({ now: 0 });
    counters = new MemoryCounters(60_000);
    counters.hit('a', Date.now());
    jest.advanceTimersByTime(30_000);
    counters.hit('b', Date.now());
    jest.advanceTimersByTime(30_000); // the sweep at 60,000: a's window ended
    expect(counters.size).toBe(1);
    expect(counters.hit('b', Date.now())).toEqual({ count: 2, resetInMs: 30_000 });
    jest.advanceTimersByTime(60_000);
    expect(counters.size).toBe(0);
  });

  it('should give a released slot to a new key with a count and window of its own', () => {
    counters = new MemoryCounters(1000, 2);
    counters.hit('a', 0);
    counters.hit('a', 0);
    counters.hit('b', 500);
    // Full: a's window ended at 1,000, so it goes and c takes its slot.
    expect(counters.hit('c', 1000)).toEqual({ count: 1, resetInMs: 1000 });
    expect(counters.hit('b', 1000)).toEqual({ count: 2, resetInMs: 500 });
    expect(counters.hit('a', 1000)).toEqual({ count: 1, resetInMs: 1000 });
  });

  it('should drop the oldest windows when full, counting a restarted window as new', () => {
    counters = new MemoryCounters(1000, 16);
    counters.hit('k0', 0);
    for (let i = 1; i < 16; i++) counters.hit(`k${i}`, 600);
    // k0's window restarts at 1,000: it is now the newest, and k1 the oldest.
    expect(counters.hit('k0', 1000).count).toBe(1);
    counters.hit('k1', 1000);
    expect(counters.hit('new', 1001)).toEqual({ count: 1, resetInMs: 1000 });
    // Full at 16 with no window over: one sixteenth, the oldest (k1), made room.
    expect(counters.size).toBe(16);
    expect(counters.hit('k1', 1002).count).toBe(1);
    // That dropped k2, the oldest then; k0 and the others kept their counts.
    expect(counters.hit('k0', 1003).count).toBe(2);
    for (let i = 3; i < 16; i++) expect(counters.hit(`k${i}`, 1004).count).toBe(2);
    expect(counters.hit('k2', 1005).count).toBe(1);
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
    expect(counters.hit('forgot:10.0.48.211', 6).count).toBe(1); // the 12,499th
    expect(counters.hit('forgot:10.0.48.212', 6).count).toBe(2); // the 12,500th stayed
  });

  it('should keep counting the keys that stay while others leave their buckets', () => {
    counters = new MemoryCounters(1000, 64);
    for (let i = 0; i < 64; i++) counters.hit(`k${i}`, i);
    // Full: each fresh key past the cap drops the oldest sixteenth (4), so 5 rounds of 8 drop
    // k0 to k39, wherever they sit in their buckets' chains.
    for (let round = 0; round < 5; round++)
      for (let i = 0; i < 8; i++) counters.hit(`r${round}-${i}`, 100 + round);
    expect(counters.size).toBe(64);
    for (let i = 63; i >= 40; i--) expect(counters.hit(`k${i}`, 200).count).toBe(2);
    for (let round = 0; round < 5; round++)
      for (let i = 0; i < 8; i++) expect(counters.hit(`r${round}-${i}`, 200).count).toBe(2);
    expect(counters.hit('k39', 200).count).toBe(1);
  });
  it('should count as a map of windows in opening order does, for any sequence of hits', () => {
    // The reference: the same rules (fixed windows from a key's first hit; when full, the
    // ended windows go, then the oldest sixteenth), kept in a Map of strings. The hash
    // chains, slot reuse and order links must agree with it at every step.
    const windowMs = 60_000;
    const step = fc.record({
      key: fc.integer({ min: 0, max: 40 }).map((i) => `forgot:10.0.0.${i}`),
      // Whole windows too, so that hits land exactly where a window ends.
      advance: fc.oneof(fc.constantFrom(0, windowMs), fc.integer({ min: 0, max: 25_000 })),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.array(step, { maxLength: 300 }),
        (max, steps) => {
          counters = new MemoryCounters(windowMs, max);
          const model = new Map<string, { resetAt: number; count: number }>();
          const sweep = (now: number): void => {
            for (const [key, entry] of model) {
              if (entry.resetAt > now) break;
              model.delete(key);
            }
          };
          let now = 0;
          for (const { key, advance } of steps) {
            now += advance;
            let entry = model.get(key);
            if (!entry) {
              if (model.size >= max) {
                sweep(now);
                if (model.size >= max) {
                  let excess = model.size - max + Math.ceil(max / 16);
                  for (const oldest of model.keys()) {
                    if (excess-- <= 0) break;
                    model.delete(oldest);
                  }
                }
              }
              entry = { resetAt: now + windowMs, count: 0 };
              model.set(key, entry);
            } else if (entry.resetAt <= now) {
              model.delete(key);
              entry = { resetAt: now + windowMs, count: 0 };
              model.set(key, entry);
            }
            entry.count++;
            expect(counters.hit(key, now)).toEqual({
              count: entry.count,
              resetInMs: entry.resetAt - now,
            });
            expect(counters.size).toBe(model.size);
          }
          counters.stop();
        },
      ),
      { numRuns: 300 },
    );
  });
});
