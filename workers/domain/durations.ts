/**
 * Durations between stages, bucketed on a log scale (four buckets per doubling, so a bucket's
 * representative value is within ±9% of any duration in it) — compact enough to roll up per day,
 * precise enough for "median time from interest to evaluation".
 */
const BASE_MS = 1000;
const PER_DOUBLING = 4;

/** Bucket 0 holds everything under a second (stages reached together, e.g. by jumping ahead). */
export function durationBucket(ms: number): number {
  if (ms < BASE_MS) return 0;
  return 1 + Math.floor(PER_DOUBLING * Math.log2(ms / BASE_MS));
}

export function bucketValueMs(bucket: number): number {
  if (bucket <= 0) return 0;
  return Math.round(BASE_MS * 2 ** ((bucket - 1 + 0.5) / PER_DOUBLING));
}

/** Median of a bucketed distribution (the lower middle for an even count), as a bucket value; null when empty. */
export function medianFromHistogram(counts: Map<number, number>): number | null {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total <= 0) return null;
  const middle = Math.floor((total - 1) / 2);
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(bucket)!;
    if (seen > middle) return bucketValueMs(bucket);
  }
  return null;
}
