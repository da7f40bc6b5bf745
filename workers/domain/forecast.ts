/**
 * Pipeline arithmetic, pure: weighted values, win rate, time in stage, sales velocity, rotting.
 * Money stays in integer minor units; a sum of weighted values is rounded once, at the end, so a
 * column's weighted total is exact to the minor unit rather than a sum of per-deal roundings.
 */
import type { StageKind } from './stage-kinds';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Round half away from zero (money is never negative here, so: half up). */
const roundMinor = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

/** One deal's weighted value: value × probability / 100, rounded to the minor unit. */
export function weightedValue(valueMinor: number, winProbability: number): number {
  return roundMinor((valueMinor * winProbability) / 100);
}

/**
 * Σ value × probability / 100 over many deals, from the exact sum Σ value × probability (which a
 * SQL `sum(value_minor * win_probability)` also gives): one rounding for the whole total.
 */
export function weightedFromProductSum(sumOfValueTimesProbability: number): number {
  return roundMinor(sumOfValueTimesProbability / 100);
}

export function weightedForecast(deals: Iterable<{ valueMinor: number; winProbability: number }>): number {
  let sum = 0;
  for (const d of deals) sum += d.valueMinor * d.winProbability;
  return weightedFromProductSum(sum);
}

/** Won / (won + lost), 0–1; null when nothing closed. */
export function winRate(won: number, lost: number): number | null {
  const closed = won + lost;
  return closed > 0 ? won / closed : null;
}

export function average(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The middle value; for an even count the mean of the two middle values. Null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The median when SQL already picked the middle value(s) of a sorted set (rows at positions
 * ⌊(n+1)/2⌋ and ⌊(n+2)/2⌋, which coincide for odd n): their mean.
 */
export function medianOfMiddles(middles: readonly number[]): number | null {
  if (middles.length === 0) return null;
  return average(middles);
}

export interface VelocityInput {
  /** Deals open now. */
  openDeals: number;
  /** Average value of the deals won in the period (minor units); null when none were won. */
  averageWonValueMinor: number | null;
  /** 0–1; null when nothing closed in the period. */
  winRate: number | null;
  /** Average days from creation to close of the deals won in the period; null when none. */
  averageCycleDays: number | null;
}

/**
 * Sales velocity: how much money the pipeline makes per day at the current pace,
 * open deals × average won value × win rate ÷ average sales cycle (days). Null when a factor is
 * unknown (nothing won or closed in the period). A cycle shorter than one day counts as one day,
 * so deals created and won the same afternoon do not make the figure explode.
 */
export function salesVelocity(input: VelocityInput): number | null {
  const { openDeals, averageWonValueMinor, winRate: rate, averageCycleDays } = input;
  if (averageWonValueMinor === null || rate === null || averageCycleDays === null) return null;
  return (openDeals * averageWonValueMinor * rate) / Math.max(1, averageCycleDays);
}

export interface RottingStage {
  kind: StageKind;
  rottingDays: number | null;
}

/** A deal rots when it sits in an open stage with a threshold for longer than that many days. */
export function isRotting(stage: RottingStage, stageEnteredAt: number, now: number): boolean {
  return stage.kind === 'open' && stage.rottingDays !== null && now - stageEnteredAt > stage.rottingDays * DAY_MS;
}

/** The moment after which a deal that entered `stage` at t rots: t < now − rottingDays. Null when the stage never rots. */
export function rottingCutoff(stage: RottingStage, now: number): number | null {
  return stage.kind === 'open' && stage.rottingDays !== null ? now - stage.rottingDays * DAY_MS : null;
}

/** The probability a stage of `kind` must carry: won 100, lost 0, open as given. */
export function probabilityForKind(kind: StageKind, openProbability: number): number {
  return kind === 'won' ? 100 : kind === 'lost' ? 0 : openProbability;
}
