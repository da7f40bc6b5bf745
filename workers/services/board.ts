/**
 * The pipeline board: one column per stage, in stage order, each with its deals (by position), the
 * deal count, the number of rotting deals, and per currency the total and weighted value
 * (Σ value × stage probability / 100, rounded once per total). A deal rots when it has sat in an
 * open stage with a threshold for longer than that many days.
 *
 * Money is never added across currencies: a column with USD and EUR deals has two totals.
 *
 * Built for 10,000-deal pipelines: two queries over the pipeline's deals, no joins. SQLite writes
 * each column's cards as one JSON array (`json_group_array`, in position order, handed over as a
 * blob of UTF-8), and the response is assembled around those bytes — no row objects, no parse and
 * re-serialise of thousands of cards. The totals come from one grouped query. With `limit`, each column carries
 * only its first `limit` cards (Pipedrive loads columns lazily) while counts and totals still
 * cover every deal.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { deals, type StageKind } from '../../db/schema';
import type { Db } from '../../db/types';
import { rottingCutoff, weightedFromProductSum } from '../domain/forecast';
import { loadPipelineStages } from './deals';

/** One card on the board; its weighted value is valueMinor × the column's winProbability / 100. */
export interface BoardCard {
  id: string;
  name: string;
  valueMinor: number;
  currency: string;
  leadId: string | null;
  ownerId: string | null;
  expectedCloseAt: number | null;
  stageEnteredAt: number;
  rotting: boolean;
}

export interface BoardTotal {
  currency: string;
  count: number;
  valueMinor: number;
  weightedValueMinor: number;
}

export interface BoardStage {
  id: string;
  name: string;
  kind: StageKind;
  position: number;
  winProbability: number;
  rottingDays: number | null;
}

export interface BoardColumn {
  stage: BoardStage;
  count: number;
  rottingCount: number;
  totals: BoardTotal[];
  deals: BoardCard[];
  /** True when `limit` left some of the column's deals out of `deals`. */
  truncated: boolean;
}

export interface Board {
  pipeline: { id: string; name: string; wonStageId: string | null; lostStageId: string | null };
  generatedAt: number;
  count: number;
  totals: BoardTotal[];
  columns: BoardColumn[];
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

function addTo(byCurrency: Map<string, Accumulator>, currency: string, count: number, valueMinor: number, weightedProduct: number): void {
  const t = byCurrency.get(currency) ?? { count: 0, valueMinor: 0, weightedProduct: 0 };
  byCurrency.set(currency, {
    count: t.count + count,
    valueMinor: t.valueMinor + valueMinor,
    weightedProduct: t.weightedProduct + weightedProduct,
  });
}

/** `stage_entered_at < cutoff` per stage as one CASE: true for rotting deals, never for stages that do not rot. */
function rottingCondition(stages: BoardStage[], now: number): SQL {
  const cutoffs = stages.flatMap((s) => {
    const cutoff = rottingCutoff(s, now);
    return cutoff === null ? [] : [sql`when ${s.id} then ${cutoff}`];
  });
  if (cutoffs.length === 0) return sql`0`;
  return sql`(${deals.stageEnteredAt} < case ${deals.stageId} ${sql.join(cutoffs, sql` `)} else -1 end)`;
}

/** The board as UTF-8 JSON, ready to send. */
export async function pipelineBoardJson(
  db: Db,
  workspaceId: string,
  pipelineId: string,
  options: BoardOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const { pipeline, stages } = await loadPipelineStages(db, workspaceId, pipelineId);
  const now = options.now;
  const boardStages: BoardStage[] = stages.map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.kind,
    position: s.position,
    winProbability: s.winProbability,
    rottingDays: s.rottingDays,
  }));
  const rotting = rottingCondition(boardStages, now);
  const inPipeline = and(eq(deals.pipelineId, pipelineId), eq(deals.workspaceId, workspaceId));
  const card = sql`json_object('id', ${deals.id}, 'name', ${deals.name}, 'valueMinor', ${deals.valueMinor}, 'currency', ${deals.currency},
    'leadId', ${deals.leadId}, 'ownerId', ${deals.ownerId}, 'expectedCloseAt', ${deals.expectedCloseAt}, 'stageEnteredAt', ${deals.stageEnteredAt},
    'rotting', iif(${rotting}, json('true'), json('false')))`;
  const limit = options.limit;
  const [columnCards, grouped] = await Promise.all([
    limit === undefined
      ? db
          .select({
            stageId: deals.stageId,
            cards: sql<ArrayBuffer>`cast(json_group_array(${card} order by ${deals.position}, ${deals.id}) as blob)`,
          })
          .from(deals)
          .where(inPipeline)
          .groupBy(deals.stageId)
      : // Rank every deal of the column (the index has the positions), then build cards only for the first `limit`.
        db.all<{ stageId: string; cards: ArrayBuffer }>(sql`
          with ranked as (
            select rowid as rid, row_number() over (partition by ${deals.stageId} order by ${deals.position}, ${deals.id}) as rn
            from ${deals} where ${inPipeline}
          )
          select ${deals.stageId} as stageId, cast(json_group_array(${card} order by ${deals.position}, ${deals.id}) as blob) as cards
          from ranked join ${deals} on ${deals}.rowid = ranked.rid
          where ranked.rn <= ${limit} group by ${deals.stageId}`),
    db
      .select({
        stageId: deals.stageId,
        currency: deals.currency,
        count: sql<number>`count(*)`,
        valueMinor: sql<number>`sum(${deals.valueMinor})`,
        rotting: sql<number>`sum(${rotting})`,
      })
      .from(deals)
      .where(inPipeline)
      .groupBy(deals.stageId, deals.currency),
  ]);

  const cardsByStage = new Map(columnCards.map((c) => [c.stageId, c.cards]));
  const probability = new Map(boardStages.map((s) => [s.id, s.winProbability]));
  const columnTotals = new Map<string, { count: number; rotting: number; byCurrency: Map<string, Accumulator> }>();
  const pipelineTotals = new Map<string, Accumulator>();
  for (const g of grouped) {
    const p = probability.get(g.stageId);
    if (p === undefined) continue;
    const column = columnTotals.get(g.stageId) ?? { count: 0, rotting: 0, byCurrency: new Map() };
    const [count, value] = [Number(g.count), Number(g.valueMinor)];
    column.count += count;
    column.rotting += Number(g.rotting);
    addTo(column.byCurrency, g.currency, count, value, value * p);
    addTo(pipelineTotals, g.currency, count, value, value * p);
    columnTotals.set(g.stageId, column);
  }

  // Everything but the cards is serialised normally; each column's cards are SQLite's JSON array,
  // spliced in as the UTF-8 bytes it comes in (a blob: no string conversion for megabytes of cards).
  const encoder = new TextEncoder();
  let count = 0;
  const columnParts = boardStages.map((stage) => {
    const t = columnTotals.get(stage.id) ?? { count: 0, rotting: 0, byCurrency: new Map<string, Accumulator>() };
    count += t.count;
    const shown = limit === undefined ? t.count : Math.min(limit, t.count);
    const head = JSON.stringify({
      stage,
      count: t.count,
      rottingCount: t.rotting,
      totals: totalsOf(t.byCurrency),
      truncated: shown < t.count,
    });
    const cards = cardsByStage.get(stage.id);
    return [encoder.encode(`${head.slice(0, -1)},"deals":`), cards ? new Uint8Array(cards) : encoder.encode('[]'), encoder.encode('}')];
  });
  const head = JSON.stringify({
    pipeline: { id: pipeline.id, name: pipeline.name, wonStageId: pipeline.wonStageId, lostStageId: pipeline.lostStageId },
    generatedAt: now,
    count,
    totals: totalsOf(pipelineTotals),
  });
  const parts: Uint8Array[] = [encoder.encode(`${head.slice(0, -1)},"columns":[`)];
  columnParts.forEach((column, i) => parts.push(...(i ? [encoder.encode(',')] : []), ...column));
  parts.push(encoder.encode(']}'));
  const body = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.byteLength;
  }
  return body;
}

/** The board as an object (for callers inside the app; the API sends the text as it is). */
export async function pipelineBoard(db: Db, workspaceId: string, pipelineId: string, options: BoardOptions): Promise<Board> {
  return JSON.parse(new TextDecoder().decode(await pipelineBoardJson(db, workspaceId, pipelineId, options))) as Board;
}
