import {
  accuracyVerdict,
  bestThresholdAccuracy,
  median,
  percentile,
  permutationChance,
  shuffle,
  stats,
} from './statistics';

/** An independent reference: every cut point between sorted values, both directions. */
function bruteForceAccuracy(known: number[], unknown: number[]): number {
  const values = [...new Set([...known, ...unknown])].sort((a, b) => a - b);
  const cuts = [-Infinity, ...values.slice(0, -1).map((v, i) => (v + values[i + 1]) / 2)];
  const total = known.length + unknown.length;
  let best = 0;
  for (const t of cuts) {
    const right = known.filter((v) => v > t).length + unknown.filter((v) => v <= t).length;
    best = Math.max(best, right, total - right);
  }
  return best / total;
}

/** Seeded pseudo-random latencies around `center`. */
function sample(n: number, center: number, seed: number): number[] {
  return shuffle(
    Array.from({ length: n }, (_, i) => center + (i % 50) / 10),
    seed,
  );
}

describe('percentile and median', () => {
  it('interpolates between ranks', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([0, 10], 0.9)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4, 5], 1)).toBe(5);
  });

  it('handles tiny and empty samples', () => {
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
    expect(median([])).toBeNaN();
  });

  it('keeps a request that never finished as Infinity, not NaN', () => {
    expect(percentile([1, 2, Infinity], 0.99)).toBe(Infinity);
    expect(percentile([1, 2, Infinity], 0.5)).toBe(2);
  });

  it('sorts before taking the median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 5, 5])).toBe(5);
  });

  it('summarises a sample', () => {
    const s = stats([5, 1, 4, 2, 3]);
    expect(s).toMatchObject({ n: 5, min: 1, p50: 3, max: 5, mean: 3 });
    expect(stats([1, Infinity]).mean).toBe(1);
    expect(stats([]).min).toBeNaN();
  });
});

describe('bestThresholdAccuracy', () => {
  it('is 1 for separated classes, whichever is slower', () => {
    expect(bestThresholdAccuracy([4, 5, 6], [1, 2, 3])).toBe(1);
    expect(bestThresholdAccuracy([1, 2, 3], [4, 5, 6])).toBe(1);
    expect(bestThresholdAccuracy([1], [2])).toBe(1);
  });

  it('is 0.5 when every value is equal', () => {
    expect(bestThresholdAccuracy([1, 1, 1], [1, 1, 1])).toBe(0.5);
  });

  it('never splits a tie', () => {
    // A cut inside the tie at 2 would give 1; the best real cut gets 3 of 4 right.
    expect(bestThresholdAccuracy([1, 2], [2, 3])).toBe(0.75);
  });

  it('finds the best cut of interleaved classes', () => {
    expect(bestThresholdAccuracy([1, 3, 5], [2, 4, 6])).toBeCloseTo(4 / 6, 12);
    expect(bestThresholdAccuracy([1, 2, 5, 6], [3, 4, 7, 8])).toBe(0.75);
  });

  it('has the larger class share as its floor', () => {
    expect(bestThresholdAccuracy([1], [1, 1, 1])).toBe(0.75);
    expect(bestThresholdAccuracy([5], [1, 2, 3])).toBe(1);
  });

  it('is NaN without samples', () => {
    expect(bestThresholdAccuracy([], [])).toBeNaN();
  });

  it('agrees with a brute-force search on overlapping samples', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const known = sample(15 + seed, 10, seed).map((v, i) => v + (i % 3));
      const unknown = sample(20, 10.5, seed + 100);
      expect(bestThresholdAccuracy(known, unknown)).toBeCloseTo(
        bruteForceAccuracy(known, unknown),
        12,
      );
    }
  });
});

describe('permutationChance', () => {
  it('is 0.5 when every value is equal (no relabelling can be told apart)', () => {
    expect(permutationChance([2, 2, 2, 2], [2, 2, 2, 2], 50)).toBe(0.5);
  });

  it('ignores how far apart the real classes are: only values and class sizes count', () => {
    const apart = permutationChance([100, 101, 102], [1, 2, 3], 200);
    const mixed = permutationChance([1, 101, 3], [100, 2, 102], 200);
    expect(apart).toBe(mixed);
  });

  it('reaches more by chance with small samples than with large ones', () => {
    const small = permutationChance(sample(20, 1, 1), sample(20, 1, 2), 200);
    const large = permutationChance(sample(600, 1, 3), sample(600, 1, 4), 200);
    expect(small).toBeGreaterThan(large);
    expect(large).toBeGreaterThan(0.5);
    expect(large).toBeLessThan(0.55);
    expect(small).toBeLessThanOrEqual(1);
  });

  it('is deterministic for a seed', () => {
    const k = sample(50, 1, 5);
    const u = sample(50, 1.2, 6);
    expect(permutationChance(k, u, 100, 7)).toBe(permutationChance(k, u, 100, 7));
  });
});

describe('shuffle', () => {
  it('permutes without losing or copying items, deterministically per seed', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const a = shuffle(items, 42);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(shuffle(items, 42)).toEqual(a);
    expect(shuffle(items, 43)).not.toEqual(a);
    expect(a).not.toEqual(items);
  });
});

describe('accuracyVerdict', () => {
  it('judges against the budget when chance stays within it', () => {
    expect(accuracyVerdict(0.53, 0.537, 0.55)).toBe(true);
    expect(accuracyVerdict(0.55, 0.537, 0.55)).toBe(true);
    expect(accuracyVerdict(0.551, 0.537, 0.55)).toBe(false);
  });

  it('gives no verdict on what a too small sample reaches by chance alone', () => {
    // 100 trials each: shuffled labels reach 59.5 %; 58 % and 50 % say nothing about 55 %.
    expect(accuracyVerdict(0.58, 0.595, 0.55)).toBeNull();
    expect(accuracyVerdict(0.5, 0.595, 0.55)).toBeNull();
    expect(accuracyVerdict(0.595, 0.595, 0.55)).toBeNull();
  });

  it('fails a small sample that tells the classes apart beyond chance and budget', () => {
    expect(accuracyVerdict(0.8, 0.595, 0.55)).toBe(false);
  });

  it('gives no verdict without figures', () => {
    expect(accuracyVerdict(NaN, 0.54, 0.55)).toBeNull();
    expect(accuracyVerdict(0.5, NaN, 0.55)).toBeNull();
  });
});
