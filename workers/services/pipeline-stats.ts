/**
 * Numbers for sales managers, per pipeline and period (UTC days, inclusive):
 * - per stage, the deals in it now: count, value and weighted value per currency;
 * - the weighted forecast of the open deals (Σ value × probability / 100), overall and for those
 *   expected to close in the period;
 * - won and lost deals closed in the period (by closedAt; a reopened deal no longer counts),
 *   win rate = won / (won + lost), average sales cycle (created → won);
 * - average and median time in each stage, from the history rows of moves out of that stage made
 *   in the period (`ms_in_from_stage`);
 * - sales velocity per currency = open deals × average won value × win rate ÷ average cycle days;
 * - lost reasons of the deals lost in the period, most frequent first.
 *
 * Two grouped SQL queries per period, one over the pipeline's deals and one over the period's
 * history rows; the arithmetic is in domain/forecast.ts.
 */
import { and, eq, sql } from 'drizzle-orm';
import { dealStageHistory, deals } from '../../db/schema';
import type { Db } from '../../db/types';
import { DAY_MS, medianOfMiddles, salesVelocity, weightedFromProductSum, winRate } from '../domain/forecast';
import { loadPipelineStages } from './deals';

export interface StatsPeriod {
  /** First day, YYYY-MM-DD (UTC). */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

interface CurrencyFigures {
  count: number;
  valueMinor: number;
}

const byCurrencySorted = <T extends { currency: string }>(rows: T[]) =>
  rows.sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));

/** The period of equal length that ends the day before `period` starts. */
export function previousStatsPeriod(period: StatsPeriod): StatsPeriod {
  const days = Math.round((dayStart(period.to) - dayStart(period.from)) / DAY_MS) + 1;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(dayStart(period.from) - days * DAY_MS), to: day(dayStart(period.from) - DAY_MS) };
}

/**
 * The pipeline's numbers for `period`; with `compare`, also the previous period of equal length
 * (`previous`, the same figures), so a dashboard gets both in one request and one stage lookup.
 */
export async function pipelineStats(
  db: Db,
  workspaceId: string,
  pipelineId: string,
  period: StatsPeriod,
  now: number,
  options: { compare?: boolean } = {},
) {
  const loaded = await loadPipelineStages(db, workspaceId, pipelineId);
  const [current, previous] = await Promise.all([
    statsFor(db, workspaceId, loaded, period, now),
    options.compare ? statsFor(db, workspaceId, loaded, previousStatsPeriod(period), now) : null,
  ]);
  return { ...current, previous };
}

async function statsFor(
  db: Db,
  workspaceId: string,
  { pipeline, stages }: Awaited<ReturnType<typeof loadPipelineStages>>,
  period: StatsPeriod,
  now: number,
) {
  const pipelineId = pipeline.id;
  const fromMs = dayStart(period.from);
  const toMs = dayStart(period.to) + DAY_MS;
  const closingInPeriod = sql`${deals.expectedCloseAt} >= ${fromMs} and ${deals.expectedCloseAt} < ${toMs}`;
  const closedInPeriod = sql`${deals.closedAt} >= ${fromMs} and ${deals.closedAt} < ${toMs}`;

  // Both queries read the pipeline's rows once each; stage kinds and probabilities are applied here
  // from the stage list, so neither joins the stages table row by row.
  const [groups, durations] = await Promise.all([
    // Per stage, currency and lost reason (null but for lost deals): what is there now, what is
    // expected to close in the period, and what closed in it.
    db
      .select({
        stageId: deals.stageId,
        currency: deals.currency,
        lostReason: deals.lostReason,
        count: sql<number>`count(*)`,
        valueMinor: sql<number>`sum(${deals.valueMinor})`,
        closingCount: sql<number>`sum(case when ${closingInPeriod} then 1 else 0 end)`,
        closingValueMinor: sql<number>`sum(case when ${closingInPeriod} then ${deals.valueMinor} else 0 end)`,
        closedCount: sql<number>`sum(case when ${closedInPeriod} then 1 else 0 end)`,
        closedValueMinor: sql<number>`sum(case when ${closedInPeriod} then ${deals.valueMinor} else 0 end)`,
        closedCycleMs: sql<number>`sum(case when ${closedInPeriod} then max(0, ${deals.closedAt} - ${deals.createdAt}) else 0 end)`,
      })
      .from(deals)
      .where(and(eq(deals.pipelineId, pipelineId), eq(deals.workspaceId, workspaceId)))
      .groupBy(deals.stageId, deals.currency, deals.lostReason),
    // Time in each stage from the moves out of it in the period: per stage the count, the sum and
    // the middle one or two durations (picked by SQL, so only they leave the database).
    db.all<{ stage_id: string; ms: number; n: number; total: number }>(sql`
      select stage_id, ms, n, total from (
        select ${dealStageHistory.fromStageId} as stage_id, ${dealStageHistory.msInFromStage} as ms,
               row_number() over (partition by ${dealStageHistory.fromStageId} order by ${dealStageHistory.msInFromStage}) as rn,
               count(*) over (partition by ${dealStageHistory.fromStageId}) as n,
               sum(${dealStageHistory.msInFromStage}) over (partition by ${dealStageHistory.fromStageId}) as total
        from ${dealStageHistory}
        where ${dealStageHistory.pipelineId} = ${pipelineId} and ${dealStageHistory.movedAt} >= ${fromMs} and ${dealStageHistory.movedAt} < ${toMs}
          and ${dealStageHistory.fromStageId} is not null and ${dealStageHistory.msInFromStage} is not null
      ) where rn in ((n + 1) / 2, (n + 2) / 2)`),
  ]);

  const times = new Map<string, { moves: number; totalMs: number; middles: number[] }>();
  for (const d of durations) {
    const t = times.get(d.stage_id) ?? { moves: Number(d.n), totalMs: Number(d.total), middles: [] };
    t.middles.push(Number(d.ms));
    times.set(d.stage_id, t);
  }
  const stageById = new Map(stages.map((s) => [s.id, s]));

  const stageTotals = new Map<string, Map<string, CurrencyFigures & { weighted: number }>>();
  const forecast = new Map<
    string,
    { openCount: number; openValueMinor: number; weighted: number; closing: CurrencyFigures & { weighted: number } }
  >();
  const won = new Map<string, CurrencyFigures>();
  const lost = new Map<string, CurrencyFigures>();
  const reasons = new Map<string, number>();
  let wonCount = 0;
  let lostCount = 0;
  let wonCycleMs = 0;
  const bump = (m: Map<string, CurrencyFigures>, currency: string, count: number, value: number) => {
    const f = m.get(currency) ?? { count: 0, valueMinor: 0 };
    m.set(currency, { count: f.count + count, valueMinor: f.valueMinor + value });
  };
  for (const g of groups) {
    const stage = stageById.get(g.stageId);
    if (!stage) continue;
    const [count, value] = [Number(g.count), Number(g.valueMinor)];
    const perCurrency = stageTotals.get(g.stageId) ?? new Map<string, CurrencyFigures & { weighted: number }>();
    const t = perCurrency.get(g.currency) ?? { count: 0, valueMinor: 0, weighted: 0 };
    perCurrency.set(g.currency, {
      count: t.count + count,
      valueMinor: t.valueMinor + value,
      weighted: t.weighted + value * stage.winProbability,
    });
    stageTotals.set(g.stageId, perCurrency);

    if (stage.kind === 'open') {
      const f = forecast.get(g.currency) ?? {
        openCount: 0,
        openValueMinor: 0,
        weighted: 0,
        closing: { count: 0, valueMinor: 0, weighted: 0 },
      };
      f.openCount += count;
      f.openValueMinor += value;
      f.weighted += value * stage.winProbability;
      f.closing.count += Number(g.closingCount);
      f.closing.valueMinor += Number(g.closingValueMinor);
      f.closing.weighted += Number(g.closingValueMinor) * stage.winProbability;
      forecast.set(g.currency, f);
      continue;
    }
    const closed = Number(g.closedCount);
    if (closed === 0) continue;
    if (stage.kind === 'won') {
      bump(won, g.currency, closed, Number(g.closedValueMinor));
      wonCount += closed;
      wonCycleMs += Number(g.closedCycleMs);
    } else {
      bump(lost, g.currency, closed, Number(g.closedValueMinor));
      lostCount += closed;
      const reason = g.lostReason ?? '';
      reasons.set(reason, (reasons.get(reason) ?? 0) + closed);
    }
  }
  const rate = winRate(wonCount, lostCount);
  const averageCycleDays = wonCount ? wonCycleMs / wonCount / DAY_MS : null;

  const currencies = [...new Set([...forecast.keys(), ...won.keys()])].sort();
  const totalsList = (m: Map<string, CurrencyFigures>) => byCurrencySorted([...m].map(([currency, f]) => ({ currency, ...f })));

  return {
    pipeline: { id: pipeline.id, name: pipeline.name },
    period: { from: period.from, to: period.to, fromMs, toMs },
    generatedAt: now,
    stages: stages.map((s) => {
      const totals = byCurrencySorted(
        [...(stageTotals.get(s.id) ?? new Map<string, CurrencyFigures & { weighted: number }>())].map(([currency, t]) => ({
          currency,
          count: t.count,
          valueMinor: t.valueMinor,
          weightedValueMinor: weightedFromProductSum(t.weighted),
        })),
      );
      const t = times.get(s.id);
      return {
        id: s.id,
        name: s.name,
        kind: s.kind,
        position: s.position,
        winProbability: s.winProbability,
        count: totals.reduce((n, x) => n + x.count, 0),
        totals,
        timeInStage: {
          moves: t?.moves ?? 0,
          averageMs: t ? Math.round(t.totalMs / t.moves) : null,
          medianMs: medianOfMiddles(t?.middles ?? []),
        },
      };
    }),
    forecast: currencies
      .filter((c) => forecast.has(c))
      .map((currency) => {
        const f = forecast.get(currency)!;
        return {
          currency,
          openCount: f.openCount,
          openValueMinor: f.openValueMinor,
          weightedValueMinor: weightedFromProductSum(f.weighted),
          closingInPeriod: {
            count: f.closing.count,
            valueMinor: f.closing.valueMinor,
            weightedValueMinor: weightedFromProductSum(f.closing.weighted),
          },
        };
      }),
    won: { count: wonCount, totals: totalsList(won) },
    lost: { count: lostCount, totals: totalsList(lost) },
    winRate: rate,
    salesCycle: { wonDeals: wonCount, averageDays: averageCycleDays },
    velocity: currencies.map((currency) => {
      const w = won.get(currency);
      const openDeals = forecast.get(currency)?.openCount ?? 0;
      const averageWonValueMinor = w ? w.valueMinor / w.count : null;
      const perDay = salesVelocity({ openDeals, averageWonValueMinor, winRate: rate, averageCycleDays });
      return {
        currency,
        openDeals,
        averageWonValueMinor: averageWonValueMinor === null ? null : Math.round(averageWonValueMinor),
        winRate: rate,
        averageCycleDays,
        perDayMinor: perDay === null ? null : Math.round(perDay),
      };
    }),
    // Most frequent first, then alphabetically; a lost deal without a reason (possible only for old data) shows as null.
    lostReasons: [...reasons]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
      .map(([reason, count]) => ({ reason: reason || null, count })),
  };
}
