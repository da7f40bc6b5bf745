/**
 * Durations between stages, bucketed on a log scale (four buckets per doubling, so a bucket's
 * representative value is within ±9% of any duration in it) — compact enough to roll up per day,
 * precise enough for "median time from interest to evaluation". A median read from these buckets
 * is therefore approximate: reports give it with its bucket's bounds (`bucketRangeMs`), and the UI
 * marks it "≈" (or "under 1 s" for bucket 0, never "0").
 */
const BASE_MS = 1000;
const PER_DOUBLING = 4;

/** Bucket 0 holds everything under a second (stages reached together, e.g. by jumping ahead). */
export function durationBucket(ms: number): number {
  if (ms < BASE_MS) return 0;
  return 1 + Math.floor(PER_DOUBLING * Math.log2(ms / BASE_MS));
}

/** The geometric middle of a bucket; 0 for bucket 0, whose range says "under a second". */
export function bucketValueMs(bucket: number): number {
  if (bucket <= 0) return 0;
  return Math.round(BASE_MS * 2 ** ((bucket - 1 + 0.5) / PER_DOUBLING));
}

/** The durations a bucket holds, `lowMs` ≤ d < `highMs` (whole milliseconds, rounded outwards). */
export function bucketRangeMs(bucket: number): { lowMs: number; highMs: number } {
  if (bucket <= 0) return { lowMs: 0, highMs: BASE_MS };
  return {
    lowMs: Math.floor(BASE_MS * 2 ** ((bucket - 1) / PER_DOUBLING)),
    highMs: Math.ceil(BASE_MS * 2 ** (bucket / PER_DOUBLING)),
  };
}

/** A median read from buckets: the bucket's representative value and the bounds the true median lies within. */
export interface ApproximateMedian {
  ms: number;
  lowMs: number;
  highMs: number;
}

/** Median of a bucketed distribution (the lower middle for an even count), as its bucket; null when empty. */
export function medianBucket(counts: Map<number, number>): number | null {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total <= 0) return null;
  const middle = Math.floor((total - 1) / 2);
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(bucket)!;
    if (seen > middle) return bucket;
  }
  return null;
}

/** The median's representative value (kept for callers that want one number); null when empty. */
export function medianFromHistogram(counts: Map<number, number>): number | null {
  const bucket = medianBucket(counts);
  return bucket === null ? null : bucketValueMs(bucket);
}

/** The median with the bounds of its bucket; null when empty. */
export function approximateMedian(counts: Map<number, number>): ApproximateMedian | null {
  const bucket = medianBucket(counts);
  return bucket === null ? null : { ms: bucketValueMs(bucket), ...bucketRangeMs(bucket) };
}
