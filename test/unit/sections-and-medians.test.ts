import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approximateMedian, bucketRangeMs, durationBucket } from '../../workers/domain/durations';
import { sectionPeople } from '../../workers/domain/stages';

describe('sections as people', () => {
  it('reached = furthest stage at or past the section; current = furthest stage inside it', () => {
    // furthest stage: 4 awareness, 1 interest, 2 evaluation, 1 desire, 2 sale, 0 retention
    expect(sectionPeople([4, 1, 2, 1, 2, 0])).toEqual({
      TOFU: { reached: 10, current: 4 },
      MOFU: { reached: 6, current: 3 },
      BOFU: { reached: 3, current: 3 },
    });
  });

  it('never lets a later section exceed an earlier one, and the current figures add up to everyone', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 6, maxLength: 6 }), (counts) => {
        const p = sectionPeople(counts);
        expect(p.MOFU.reached).toBeLessThanOrEqual(p.TOFU.reached);
        expect(p.BOFU.reached).toBeLessThanOrEqual(p.MOFU.reached);
        expect(p.TOFU.current + p.MOFU.current + p.BOFU.current).toBe(p.TOFU.reached);
      }),
    );
  });
});

describe('approximate medians', () => {
  it('each duration lies inside its bucket range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 90 * 24 * 3600 * 1000 }), (ms) => {
        const { lowMs, highMs } = bucketRangeMs(durationBucket(ms));
        expect(ms).toBeGreaterThanOrEqual(lowMs);
        expect(ms).toBeLessThan(highMs);
      }),
    );
  });

  it('a sub-second median is the range 0–1000 ms, not a bare 0', () => {
    expect(approximateMedian(new Map([[durationBucket(400), 3]]))).toEqual({ ms: 0, lowMs: 0, highMs: 1000 });
    expect(approximateMedian(new Map())).toBeNull();
    const m = approximateMedian(new Map([[durationBucket(90_000), 1]]))!;
    expect(m.lowMs).toBeLessThanOrEqual(90_000);
    expect(m.highMs).toBeGreaterThan(90_000);
  });
});
