import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  average,
  isRotting,
  median,
  medianOfMiddles,
  probabilityForKind,
  rottingCutoff,
  salesVelocity,
  weightedForecast,
  weightedFromProductSum,
  weightedValue,
  winRate,
} from '../../workers/domain/forecast';

describe('weighted values', () => {
  it('weights a deal by its stage probability, to the minor unit', () => {
    expect(weightedValue(25_000, 10)).toBe(2_500);
    expect(weightedValue(7_777, 60)).toBe(4_666); // 4,666.2
    expect(weightedValue(5, 50)).toBe(3); // 2.5 rounds half up
    expect(weightedValue(25_000, 100)).toBe(25_000);
    expect(weightedValue(25_000, 0)).toBe(0);
  });

  it('rounds a forecast once, so it is exact rather than a sum of rounded parts', () => {
    // Three deals of 1 at 50 %: 1.5 exactly → 2, where rounding each would give 3 × 1 = 3.
    expect(weightedForecast([1, 1, 1].map((valueMinor) => ({ valueMinor, winProbability: 50 })))).toBe(2);
    // The article's pipeline: $125,000 inserted at 10 %, $50,000 at qualification at 25 %.
    expect(
      weightedForecast([
        { valueMinor: 12_500_000, winProbability: 10 },
        { valueMinor: 5_000_000, winProbability: 25 },
      ]),
    ).toBe(2_500_000);
    expect(weightedForecast([])).toBe(0);
    expect(weightedFromProductSum(3_266_660)).toBe(32_667);
  });

  it('matches an independent recomputation in integer arithmetic for any deals', () => {
    const deal = fc.record({ valueMinor: fc.integer({ min: 0, max: 1e10 }), winProbability: fc.integer({ min: 0, max: 100 }) });
    fc.assert(
      fc.property(fc.array(deal, { maxLength: 200 }), (deals) => {
        const product = deals.reduce((n, d) => n + BigInt(d.valueMinor) * BigInt(d.winProbability), 0n);
        // round half up of product / 100, in BigInt
        const expected = Number((product + 50n) / 100n);
        expect(weightedForecast(deals)).toBe(expected);
        // Never further than half a minor unit per deal from the sum of per-deal weighted values.
        const perDeal = deals.reduce((n, d) => n + weightedValue(d.valueMinor, d.winProbability), 0);
        expect(Math.abs(perDeal - expected)).toBeLessThanOrEqual(Math.ceil(deals.length / 2));
      }),
    );
  });
});

describe('win rate and averages', () => {
  it('is won / (won + lost), unknown when nothing closed', () => {
    expect(winRate(2, 1)).toBeCloseTo(2 / 3, 12);
    expect(winRate(0, 4)).toBe(0);
    expect(winRate(3, 0)).toBe(1);
    expect(winRate(0, 0)).toBeNull();
  });

  it('computes the average and the median (mean of the middle two for an even count)', () => {
    expect(average([])).toBeNull();
    expect(average([1, 2, 6])).toBe(3);
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(medianOfMiddles([])).toBeNull();
    expect(medianOfMiddles([7])).toBe(7);
    expect(medianOfMiddles([2 * DAY_MS, 3 * DAY_MS])).toBe(2.5 * DAY_MS);
  });

  it('picks the same median from SQL-style middle rows as from the full set', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 100 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const n = sorted.length;
        // row_number() is 1-based: rn in ((n + 1) / 2, (n + 2) / 2) with integer division.
        const middles = sorted.filter((_, i) => i + 1 === Math.floor((n + 1) / 2) || i + 1 === Math.floor((n + 2) / 2));
        expect(medianOfMiddles(middles)).toBe(median(values));
      }),
    );
  });
});

describe('sales velocity', () => {
  it('is open deals × average won value × win rate ÷ cycle days', () => {
    // 50 open deals, $250 average win, 25 % win rate, 10-day cycle: $312.50 a day.
    expect(salesVelocity({ openDeals: 50, averageWonValueMinor: 25_000, winRate: 0.25, averageCycleDays: 10 })).toBe(31_250);
    expect(salesVelocity({ openDeals: 1, averageWonValueMinor: 20_000, winRate: 2 / 3, averageCycleDays: 7 })).toBeCloseTo(1_904.76, 2);
    expect(salesVelocity({ openDeals: 0, averageWonValueMinor: 20_000, winRate: 0.5, averageCycleDays: 7 })).toBe(0);
  });

  it('is unknown without wins or closes, and treats a cycle under a day as one day', () => {
    expect(salesVelocity({ openDeals: 5, averageWonValueMinor: null, winRate: 0.5, averageCycleDays: 3 })).toBeNull();
    expect(salesVelocity({ openDeals: 5, averageWonValueMinor: 100, winRate: null, averageCycleDays: 3 })).toBeNull();
    expect(salesVelocity({ openDeals: 5, averageWonValueMinor: 100, winRate: 1, averageCycleDays: null })).toBeNull();
    expect(salesVelocity({ openDeals: 5, averageWonValueMinor: 100, winRate: 1, averageCycleDays: 0.01 })).toBe(500);
  });

  it('grows with open deals, deal size and win rate, and falls with a longer cycle', () => {
    const base = { openDeals: 10, averageWonValueMinor: 1_000, winRate: 0.3, averageCycleDays: 20 };
    const v = salesVelocity(base)!;
    expect(salesVelocity({ ...base, openDeals: 20 })).toBeCloseTo(2 * v, 9);
    expect(salesVelocity({ ...base, averageWonValueMinor: 3_000 })).toBeCloseTo(3 * v, 9);
    expect(salesVelocity({ ...base, winRate: 0.6 })).toBeCloseTo(2 * v, 9);
    expect(salesVelocity({ ...base, averageCycleDays: 40 })).toBeCloseTo(v / 2, 9);
  });
});

describe('rotting', () => {
  const now = Date.UTC(2026, 10, 27, 12);
  it('flags a deal idle in an open stage for longer than its threshold', () => {
    const stage = { kind: 'open' as const, rottingDays: 14 };
    expect(isRotting(stage, now - 14 * DAY_MS, now)).toBe(false); // exactly 14 days: not yet
    expect(isRotting(stage, now - 14 * DAY_MS - 1, now)).toBe(true);
    expect(isRotting({ kind: 'open', rottingDays: null }, 0, now)).toBe(false);
    expect(isRotting({ kind: 'won', rottingDays: 1 }, 0, now)).toBe(false);
    expect(rottingCutoff(stage, now)).toBe(now - 14 * DAY_MS);
    expect(rottingCutoff({ kind: 'lost', rottingDays: 3 }, now)).toBeNull();
  });

  it('agrees with its SQL cutoff (stage_entered_at < cutoff) for any entry time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 * DAY_MS }), fc.integer({ min: 1, max: 30 }), (age, days) => {
        const stage = { kind: 'open' as const, rottingDays: days };
        expect(isRotting(stage, now - age, now)).toBe(now - age < rottingCutoff(stage, now)!);
      }),
    );
  });
});

describe('stage probabilities', () => {
  it('fixes won at 100 and lost at 0, keeps open as chosen', () => {
    expect(probabilityForKind('won', 40)).toBe(100);
    expect(probabilityForKind('lost', 40)).toBe(0);
    expect(probabilityForKind('open', 40)).toBe(40);
  });
});
