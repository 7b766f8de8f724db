/**
 * Statistics shared by the bench's phases: percentiles, and how well one latency threshold
 * tells two classes of requests apart, compared with what shuffled labels reach by chance.
 */

export function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (!Number.isFinite(sorted[hi])) return sorted[hi];
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function median(values) {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const finite = s.filter(Number.isFinite);
  return {
    n: s.length,
    min: s[0],
    p50: percentile(s, 0.5),
    p90: percentile(s, 0.9),
    p95: percentile(s, 0.95),
    p99: percentile(s, 0.99),
    max: s[s.length - 1],
    mean: finite.reduce((a, b) => a + b, 0) / (finite.length || 1),
  };
}

/**
 * Accuracy of the best rule "slower than t → known" (or its reverse) over both samples:
 * 0.5 means the two classes cannot be told apart by one request's latency.
 */
export function bestThresholdAccuracy(known, unknown) {
  const labelled = [...known.map((v) => [v, 1]), ...unknown.map((v) => [v, 0])].sort(
    (a, b) => a[0] - b[0],
  );
  return bestSplit(labelled, known.length);
}

export function bestSplit(labelled, knownCount) {
  const total = labelled.length;
  let best = Math.max(knownCount, total - knownCount);
  let knownBelow = 0;
  let unknownBelow = 0;
  for (let i = 0; i < total; i++) {
    if (labelled[i][1]) knownBelow++;
    else unknownBelow++;
    if (i + 1 < total && labelled[i + 1][0] === labelled[i][0]) continue; // thresholds between distinct values
    const correct = unknownBelow + (knownCount - knownBelow);
    best = Math.max(best, correct, total - correct);
  }
  return best / total;
}

/** The 95th percentile of the same statistic with labels shuffled: what chance alone reaches. */
export function permutationChance(known, unknown, rounds) {
  const values = [...known, ...unknown].sort((a, b) => a - b);
  const labels = [...Array(known.length).fill(1), ...Array(unknown.length).fill(0)];
  const out = [];
  for (let r = 0; r < rounds; r++) {
    const shuffled = shuffle(labels, 1000 + r);
    out.push(
      bestSplit(
        values.map((v, i) => [v, shuffled[i]]),
        known.length,
      ),
    );
  }
  return percentile(
    out.sort((a, b) => a - b),
    0.95,
  );
}

/** Deterministic Fisher–Yates (mulberry32), so runs interleave the same way. */
export function shuffle(items, seed) {
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
