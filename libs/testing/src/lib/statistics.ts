/**
 * The statistics the bench's verdicts rest on: percentiles, and how well one latency
 * threshold tells two classes of requests apart (known and unknown addresses), next to what
 * shuffled labels reach by chance. Pure functions, unit-tested in statistics.spec.ts.
 */

/**
 * The q-quantile (0 ≤ q ≤ 1) of an ascending array, interpolating linearly between the two
 * nearest ranks; NaN for an empty array. Infinity (a request that never finished) stays
 * Infinity instead of turning the interpolation into NaN.
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi || !Number.isFinite(sorted[hi])) return sorted[hi];
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** The median of values in any order. */
export function median(values: readonly number[]): number {
  return percentile(ascending(values), 0.5);
}

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  /** Mean of the finite values (NaN when there are none). */
  mean: number;
}

export function stats(values: readonly number[]): Summary {
  const s = ascending(values);
  const finite = s.filter(Number.isFinite);
  return {
    n: s.length,
    min: s.length ? s[0] : NaN,
    p50: percentile(s, 0.5),
    p90: percentile(s, 0.9),
    p95: percentile(s, 0.95),
    p99: percentile(s, 0.99),
    max: s.length ? s[s.length - 1] : NaN,
    mean: finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN,
  };
}

/**
 * Accuracy of the best rule "slower than t → known" (or its reverse, "faster than t →
 * known") over both samples together: the share of requests such a guess gets right. 0.5
 * (with classes of equal size) means one request's latency cannot tell them apart; the
 * floor is the larger class's share (guess the same for all). Thresholds are only placed
 * between distinct values: requests with equal latencies always fall on the same side.
 * NaN when both samples are empty.
 */
export function bestThresholdAccuracy(
  known: readonly number[],
  unknown: readonly number[],
): number {
  const labelled: [number, boolean][] = [
    ...known.map((v): [number, boolean] => [v, true]),
    ...unknown.map((v): [number, boolean] => [v, false]),
  ].sort((a, b) => a[0] - b[0]);
  return bestSplit(labelled, known.length);
}

/** bestThresholdAccuracy on [value, isKnown] pairs sorted by value. */
function bestSplit(labelled: readonly (readonly [number, boolean])[], knownCount: number): number {
  const total = labelled.length;
  if (total === 0) return NaN;
  let best = Math.max(knownCount, total - knownCount);
  let knownBelow = 0;
  let unknownBelow = 0;
  for (let i = 0; i < total; i++) {
    if (labelled[i][1]) knownBelow++;
    else unknownBelow++;
    if (i + 1 < total && labelled[i + 1][0] === labelled[i][0]) continue;
    // "below → unknown, above → known", and its reverse (total − correct).
    const correct = unknownBelow + (knownCount - knownBelow);
    best = Math.max(best, correct, total - correct);
  }
  return best / total;
}

/**
 * What chance alone reaches: the 95th percentile of bestThresholdAccuracy over `rounds`
 * random relabellings of the same values (same class sizes). An accuracy at or below it
 * is indistinguishable from guessing; small samples reach high accuracies by chance, so a
 * verdict needs enough samples for this figure to sit well below the budget.
 */
export function permutationChance(
  known: readonly number[],
  unknown: readonly number[],
  rounds = 200,
  seed = 1000,
): number {
  const values = ascending([...known, ...unknown]);
  const labels = [...Array(known.length).fill(true), ...Array(unknown.length).fill(false)];
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const shuffled = shuffle(labels, seed + r);
    out.push(
      bestSplit(
        values.map((v, i): [number, boolean] => [v, shuffled[i] as boolean]),
        known.length,
      ),
    );
  }
  return percentile(ascending(out), 0.95);
}

/** Deterministic Fisher–Yates (mulberry32 seeded), so runs interleave classes the same way. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const a = [...items];
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * The verdict on a best-threshold accuracy against its budget (e.g. 0.55), given `chance`
 * (permutationChance of the same sample). An accuracy above both tells the classes apart
 * beyond the budget: false. Within the budget it passes only if the sample could have shown
 * a breach, that is if chance alone stays within the budget; with too few samples (chance
 * past the budget) anything up to chance is no verdict (null), neither pass nor fail.
 */
export function accuracyVerdict(accuracy: number, chance: number, budget: number): boolean | null {
  if (!Number.isFinite(accuracy) || !Number.isFinite(chance)) return null;
  if (accuracy > Math.max(budget, chance)) return false;
  return chance <= budget ? true : null;
}
