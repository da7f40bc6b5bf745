/**
 * The pipeline board: one column per stage, in stage order, each with its deals (by position), the
 * deal count, and per currency the total and weighted value (value × stage probability / 100);
 * deals idle in an open stage past its rotting threshold are flagged.
 *
 * Money is never added across currencies: a column with USD and EUR deals has two totals. The
 * board reads the deals with one query of the columns a card shows; with `limit`, each column
 * carries only its first `limit` cards (as Pipedrive loads columns lazily) while the counts and
 * totals still cover every deal, from a grouped query.
 */
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import { deals, type StageKind } from '../../db/schema';
import type { Db } from '../../db/types';
import { isRotting, rottingCutoff, weightedFromProductSum, weightedValue } from '../domain/forecast';
import { loadPipelineStages } from './deals';

export interface BoardCard {
  id: string;
  name: string;
  valueMinor: number;
  currency: string;
  weightedValueMinor: number;
  position: number;
  leadId: string | null;
  ownerId: string | null;
  expectedCloseAt: number | null;
  stageEnteredAt: number;
  closedAt: number | null;
  createdAt: number;
  rotting: boolean;
}

export interface BoardTotal {
  currency: string;
  count: number;
  valueMinor: number;
  weightedValueMinor: number;
}

export interface BoardColumn {
  stage: { id: string; name: string; kind: StageKind; position: number; winProbability: number; rottingDays: number | null };
  count: number;
  rottingCount: number;
  totals: BoardTotal[];
  deals: BoardCard[];
  /** True when `limit` left deals out of `deals`. */
  truncated: boolean;
}

export interface BoardOptions {
  now: number;
  /** Cards per column; counts and totals still cover all deals. */
  limit?: number;
}

interface Accumulator {
  count: number;
  valueMinor: number;
  /** Σ value × probability: exact, rounded once at the end. */
  weightedProduct: number;
}

function totalsOf(byCurrency: Map<string, Accumulator>): BoardTotal[] {
  return [...byCurrency]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, t]) => ({
      currency,
      count: t.count,
      valueMinor: t.valueMinor,
      weightedValueMinor: weightedFromProductSum(t.weightedProduct),
    }));
}

function add(byCurrency: Map<string, Accumulator>, currency: string, count: number, value: number, probability: number): void {
  const t = byCurrency.get(currency) ?? { count: 0, valueMinor: 0, weightedProduct: 0 };
  t.count += count;
  t.valueMinor += value;
  t.weightedProduct += value * probability;
  byCurrency.set(currency, t);
}

export async function pipelineBoard(db: Db, workspaceId: string, pipelineId: string, options: BoardOptions) {
  const { pipeline, stages } = await loadPipelineStages(db, workspaceId, pipelineId);
  const card = {
    id: deals.id,
    stageId: deals.stageId,
    name: deals.name,
    valueMinor: deals.valueMinor,
    currency: deals.currency,
    position: deals.position,
    leadId: deals.leadId,
    ownerId: deals.ownerId,
    expectedCloseAt: deals.expectedCloseAt,
    stageEnteredAt: deals.stageEnteredAt,
    closedAt: deals.closedAt,
    createdAt: deals.createdAt,
  };
  const inPipeline = and(eq(deals.pipelineId, pipelineId), eq(deals.workspaceId, workspaceId));
  const limit = options.limit;
  const ranked = db
    .select({
      ...card,
      rank: sql<number>`row_number() over (partition by ${deals.stageId} order by ${deals.position}, ${deals.id})`.as('rank'),
    })
    .from(deals)
    .where(inPipeline)
    .as('ranked');
  const [rows, grouped] = await Promise.all([
    limit === undefined
      ? db.select(card).from(deals).where(inPipeline).orderBy(asc(deals.stageId), asc(deals.position), asc(deals.id))
      : db.select().from(ranked).where(lte(ranked.rank, limit)).orderBy(asc(ranked.stageId), asc(ranked.position), asc(ranked.id)),
    limit === undefined
      ? null
      : db
          .select({
            stageId: deals.stageId,
            currency: deals.currency,
            count: sql<number>`count(*)`,
            valueMinor: sql<number>`sum(${deals.valueMinor})`,
          })
          .from(deals)
          .where(inPipeline)
          .groupBy(deals.stageId, deals.currency),
  ]);

  const columns = new Map<string, BoardColumn & { byCurrency: Map<string, Accumulator> }>();
  for (const s of stages) {
    columns.set(s.id, {
      stage: { id: s.id, name: s.name, kind: s.kind, position: s.position, winProbability: s.winProbability, rottingDays: s.rottingDays },
      count: 0,
      rottingCount: 0,
      totals: [],
      deals: [],
      truncated: false,
      byCurrency: new Map(),
    });
  }
  const now = options.now;
  for (const r of rows) {
    const column = columns.get(r.stageId);
    if (!column) continue;
    const stage = column.stage;
    const rotting = isRotting(stage, r.stageEnteredAt, now);
    column.deals.push({
      id: r.id,
      name: r.name,
      valueMinor: r.valueMinor,
      currency: r.currency,
      weightedValueMinor: weightedValue(r.valueMinor, stage.winProbability),
      position: r.position,
      leadId: r.leadId,
      ownerId: r.ownerId,
      expectedCloseAt: r.expectedCloseAt,
      stageEnteredAt: r.stageEnteredAt,
      closedAt: r.closedAt,
      createdAt: r.createdAt,
      rotting,
    });
    if (grouped === null) {
      column.count++;
      if (rotting) column.rottingCount++;
      add(column.byCurrency, r.currency, 1, r.valueMinor, stage.winProbability);
    }
  }
  if (grouped !== null) {
    for (const g of grouped) {
      const column = columns.get(g.stageId);
      if (!column) continue;
      column.count += Number(g.count);
      add(column.byCurrency, g.currency, Number(g.count), Number(g.valueMinor), column.stage.winProbability);
    }
  }
  if (grouped !== null) await countRotting(db, pipelineId, stages, now, columns);

  const pipelineTotals = new Map<string, Accumulator>();
  const result: BoardColumn[] = [];
  for (const s of stages) {
    const { byCurrency, ...column } = columns.get(s.id)!;
    column.totals = totalsOf(byCurrency);
    column.truncated = column.deals.length < column.count;
    for (const [currency, t] of byCurrency) {
      const sum = pipelineTotals.get(currency) ?? { count: 0, valueMinor: 0, weightedProduct: 0 };
      pipelineTotals.set(currency, {
        count: sum.count + t.count,
        valueMinor: sum.valueMinor + t.valueMinor,
        weightedProduct: sum.weightedProduct + t.weightedProduct,
      });
    }
    result.push(column);
  }
  const { automations: _automations, ...head } = pipeline;
  return {
    pipeline: head,
    generatedAt: now,
    count: result.reduce((n, c) => n + c.count, 0),
    totals: totalsOf(pipelineTotals),
    columns: result,
  };
}

/** With a card limit, rotting deals beyond it still count: one grouped query over the open stages that rot. */
async function countRotting(
  db: Db,
  pipelineId: string,
  stages: Array<{ id: string; kind: StageKind; rottingDays: number | null }>,
  now: number,
  columns: Map<string, { rottingCount: number }>,
): Promise<void> {
  const rotting = stages.flatMap((s) => {
    const cutoff = rottingCutoff(s, now);
    return cutoff === null ? [] : [{ id: s.id, cutoff }];
  });
  if (!rotting.length) return;
  const condition = sql.join(
    rotting.map((s) => sql`(${deals.stageId} = ${s.id} and ${deals.stageEnteredAt} < ${s.cutoff})`),
    sql` or `,
  );
  const rows = await db
    .select({ stageId: deals.stageId, count: sql<number>`count(*)` })
    .from(deals)
    .where(and(eq(deals.pipelineId, pipelineId), sql`(${condition})`))
    .groupBy(deals.stageId);
  for (const r of rows) {
    const column = columns.get(r.stageId);
    if (column) column.rottingCount = Number(r.count);
  }
}
