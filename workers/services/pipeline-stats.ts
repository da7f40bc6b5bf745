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
 * A handful of grouped SQL queries over the pipeline's deals and the period's history rows; the
 * arithmetic is in domain/forecast.ts.
 */
import { and, eq, gte, isNotNull, lt, sql } from 'drizzle-orm';
import { dealStageHistory, deals, pipelineStages } from '../../db/schema';
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

export async function pipelineStats(db: Db, workspaceId: string, pipelineId: string, period: StatsPeriod, now: number) {
  const { pipeline, stages } = await loadPipelineStages(db, workspaceId, pipelineId);
  const fromMs = dayStart(period.from);
  const toMs = dayStart(period.to) + DAY_MS;
  const closingInPeriod = sql`${deals.expectedCloseAt} >= ${fromMs} and ${deals.expectedCloseAt} < ${toMs}`;
  const closedInPeriod = and(eq(deals.pipelineId, pipelineId), gte(deals.closedAt, fromMs), lt(deals.closedAt, toMs));
  const movedInPeriod = and(
    eq(dealStageHistory.pipelineId, pipelineId),
    gte(dealStageHistory.movedAt, fromMs),
    lt(dealStageHistory.movedAt, toMs),
    isNotNull(dealStageHistory.fromStageId),
    isNotNull(dealStageHistory.msInFromStage),
  );

  const [current, closed, reasons, stageTimes, middles] = await Promise.all([
    db
      .select({
        stageId: deals.stageId,
        currency: deals.currency,
        count: sql<number>`count(*)`,
        valueMinor: sql<number>`sum(${deals.valueMinor})`,
        closingCount: sql<number>`sum(case when ${closingInPeriod} then 1 else 0 end)`,
        closingValueMinor: sql<number>`sum(case when ${closingInPeriod} then ${deals.valueMinor} else 0 end)`,
      })
      .from(deals)
      .where(eq(deals.pipelineId, pipelineId))
      .groupBy(deals.stageId, deals.currency),
    db
      .select({
        kind: pipelineStages.kind,
        currency: deals.currency,
        count: sql<number>`count(*)`,
        valueMinor: sql<number>`sum(${deals.valueMinor})`,
        cycleMs: sql<number>`sum(max(0, ${deals.closedAt} - ${deals.createdAt}))`,
      })
      .from(deals)
      .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
      .where(closedInPeriod)
      .groupBy(pipelineStages.kind, deals.currency),
    db
      .select({ reason: sql<string>`coalesce(${deals.lostReason}, '')`, count: sql<number>`count(*)` })
      .from(deals)
      .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
      .where(and(closedInPeriod, eq(pipelineStages.kind, 'lost')))
      .groupBy(sql`coalesce(${deals.lostReason}, '')`)
      .orderBy(sql`count(*) desc`, sql`1`),
    db
      .select({
        stageId: sql<string>`${dealStageHistory.fromStageId}`,
        moves: sql<number>`count(*)`,
        totalMs: sql<number>`sum(${dealStageHistory.msInFromStage})`,
      })
      .from(dealStageHistory)
      .where(movedInPeriod)
      .groupBy(dealStageHistory.fromStageId),
    // The middle one or two durations of each stage, picked by SQL so only they leave the database.
    db.all<{ stage_id: string; ms: number }>(sql`
      select stage_id, ms from (
        select ${dealStageHistory.fromStageId} as stage_id, ${dealStageHistory.msInFromStage} as ms,
               row_number() over (partition by ${dealStageHistory.fromStageId} order by ${dealStageHistory.msInFromStage}) as rn,
               count(*) over (partition by ${dealStageHistory.fromStageId}) as n
        from ${dealStageHistory} where ${movedInPeriod}
      ) where rn in ((n + 1) / 2, (n + 2) / 2)`),
  ]);

  const medians = new Map<string, number[]>();
  for (const m of middles) medians.set(m.stage_id, [...(medians.get(m.stage_id) ?? []), Number(m.ms)]);
  const times = new Map(stageTimes.map((t) => [t.stageId, t]));
  const stageById = new Map(stages.map((s) => [s.id, s]));

  // Per stage now, and the open-deal forecast per currency.
  const stageTotals = new Map<string, Array<CurrencyFigures & { currency: string; weightedValueMinor: number }>>();
  const forecast = new Map<
    string,
    { openCount: number; openValueMinor: number; weighted: number; closing: CurrencyFigures & { weighted: number } }
  >();
  for (const r of current) {
    const stage = stageById.get(r.stageId);
    if (!stage) continue;
    const count = Number(r.count);
    const value = Number(r.valueMinor);
    const list = stageTotals.get(r.stageId) ?? [];
    list.push({ currency: r.currency, count, valueMinor: value, weightedValueMinor: weightedFromProductSum(value * stage.winProbability) });
    stageTotals.set(r.stageId, list);
    if (stage.kind !== 'open') continue;
    const f = forecast.get(r.currency) ?? {
      openCount: 0,
      openValueMinor: 0,
      weighted: 0,
      closing: { count: 0, valueMinor: 0, weighted: 0 },
    };
    f.openCount += count;
    f.openValueMinor += value;
    f.weighted += value * stage.winProbability;
    f.closing.count += Number(r.closingCount);
    f.closing.valueMinor += Number(r.closingValueMinor);
    f.closing.weighted += Number(r.closingValueMinor) * stage.winProbability;
    forecast.set(r.currency, f);
  }

  // Closed in the period.
  const won = new Map<string, CurrencyFigures>();
  const lost = new Map<string, CurrencyFigures>();
  let wonCount = 0;
  let lostCount = 0;
  let wonCycleMs = 0;
  for (const r of closed) {
    const figures = { count: Number(r.count), valueMinor: Number(r.valueMinor) };
    if (r.kind === 'won') {
      won.set(r.currency, figures);
      wonCount += figures.count;
      wonCycleMs += Number(r.cycleMs);
    } else if (r.kind === 'lost') {
      lost.set(r.currency, figures);
      lostCount += figures.count;
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
      const totals = byCurrencySorted(stageTotals.get(s.id) ?? []);
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
          moves: Number(t?.moves ?? 0),
          averageMs: t ? Math.round(Number(t.totalMs) / Number(t.moves)) : null,
          medianMs: medianOfMiddles(medians.get(s.id) ?? []),
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
    lostReasons: reasons.map((r) => ({ reason: r.reason || null, count: Number(r.count) })),
  };
}
