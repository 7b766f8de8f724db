/** The statistics of libs/testing (src/lib/statistics.ts, unit-tested there) for the phases. */
import { testing } from './testing.mjs';

export const {
  percentile,
  median,
  stats,
  bestThresholdAccuracy,
  permutationChance,
  shuffle,
  accuracyVerdict,
} = testing;
