/**
 * Deals: create, edit, move between stages (with the column position), delete. Every stage move
 * writes a history row (who, when, from, to, time spent in the old stage); entering a won or lost
 * stage sets `closedAt`, going back to an open stage clears it and the lost reason. Webhook
 * events are written in the same batch as the change (see write-context.ts).
 */
import { and, asc, desc, eq, getTableColumns, getTableName, max, ne, or, sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { dealStageHistory, deals, funnels, leads, memberships, pipelineStages, pipelines } from '../../db/schema';
import type { StageKind } from '../domain/stage-kinds';
import { originOfActor, type DealOrigin } from '../domain/deal-origins';
import { preparedPerDatabase } from '../../db/prepared';
import type { Db } from '../../db/types';
import { AppError, notFound, validationFailed } from '../domain/errors';
import type { BatchItem } from 'drizzle-orm/batch';
import { parseSubscribedEndpoints, subscribedEndpointsSql, type OutboxEvent } from './webhook-outbox';
import { commitWithEvents, type WriteCtx } from './write-context';
import { containingPattern } from './leads';
import { decodeCursor, nextCursor, olderThan } from './newest-first';
import { nextActivitySql, parseNextActivity } from './activities';
import type { DueWindow } from '../domain/activities';

export type Deal = typeof deals.$inferSelect;
type Stage = typeof pipelineStages.$inferSelect;
type DealStatus = StageKind;

/** Gap between neighbouring deals in a column, so a move usually rewrites only the moved deal. */
export const POSITION_STEP = 1024;

export interface DealFields {
  name: string;
  valueMinor: number;
  currency: string;
  leadId?: string | null;
  ownerId?: string | null;
  expectedCloseAt?: number | null;
  sourceFunnelId?: string | null;
  attribution?: Record<string, string>;
  notes?: string | null;
}

export interface NewDeal extends DealFields {
  pipelineId: string;
  /** Defaults to the pipeline's first open stage. */
  stageId?: string;
  /** 0-based index within the stage column; default: the bottom. */
  position?: number;
  /** Required when the stage is a lost stage. */
  lostReason?: string | null;
  /** How it came to be; default: what the actor tells (`originOfActor`: a rule, an automation, an import, a person). */
  origin?: DealOrigin;
}

export interface DealMove {
  stageId: string;
  position?: number;
  lostReason?: string | null;
}

/** Who made a change: a user id, or `automation:<name>`, `rule:<id>`, `import`. */
export type Actor = string | null;

export function dealPayload(deal: Deal) {
  return {
    id: deal.id,
    name: deal.name,
    pipelineId: deal.pipelineId,
    stageId: deal.stageId,
    valueMinor: deal.valueMinor,
    currency: deal.currency,
    leadId: deal.leadId,
    ownerId: deal.ownerId,
    sourceFunnelId: deal.sourceFunnelId,
    lostReason: deal.lostReason,
    origin: deal.origin,
    closedAt: deal.closedAt,
    createdAt: deal.createdAt,
  };
}

/** The webhook events one stage change produces. */
export function stageChangeEvents(deal: Deal, from: Stage | null, to: Stage): OutboxEvent[] {
  const data = {
    deal: dealPayload(deal),
    fromStage: from && { id: from.id, name: from.name, kind: from.kind },
    toStage: { id: to.id, name: to.name, kind: to.kind },
  };
  const events: OutboxEvent[] = from ? [{ type: 'deal.stage_changed', data }] : [];
  if (to.kind === 'won' && from?.kind !== 'won') events.push({ type: 'deal.won', data });
  if (to.kind === 'lost' && from?.kind !== 'lost') events.push({ type: 'deal.lost', data });
  return events;
}

/** closedAt after entering `to`: set when a deal closes, kept between closing stages (won → post-purchase), cleared on reopening. */
export function closedAtAfter(fromKind: StageKind | null, to: StageKind, previousClosedAt: number | null, now: number): number | null {
  if (to === 'open') return null;
  if (fromKind === to && previousClosedAt !== null) return previousClosedAt;
  return now;
}

export async function loadPipelineStages(db: Db, workspaceId: string, pipelineId: string) {
  const [pipeline] = await db
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.id, pipelineId), eq(pipelines.workspaceId, workspaceId)));
  if (!pipeline) throw notFound('Pipeline');
  const stages = await db
    .select()
    .from(pipelineStages)
    .where(eq(pipelineStages.pipelineId, pipelineId))
    .orderBy(asc(pipelineStages.position));
  return { pipeline, stages };
}

async function loadDeal(db: Db, workspaceId: string, dealId: string): Promise<Deal> {
  const [deal] = await db
    .select()
    .from(deals)
    .where(and(eq(deals.id, dealId), eq(deals.workspaceId, workspaceId)));
  if (!deal) throw notFound('Deal');
  return deal;
}

/** A deal with its stage, its stage history (newest first) and its next open activity (`window`: what "overdue" is measured against). */
export async function getDeal(db: Db, workspaceId: string, dealId: string, window: DueWindow) {
  const deal = await loadDeal(db, workspaceId, dealId);
  const [next] = await db
    .select({ json: nextActivitySql(window) })
    .from(deals)
    .where(eq(deals.id, dealId));
  const history = await db
    .select({
      id: dealStageHistory.id,
      fromStageId: dealStageHistory.fromStageId,
      toStageId: dealStageHistory.toStageId,
      msInFromStage: dealStageHistory.msInFromStage,
      movedBy: dealStageHistory.movedBy,
      movedAt: dealStageHistory.movedAt,
    })
    .from(dealStageHistory)
    .where(eq(dealStageHistory.dealId, dealId))
    // Moves within one millisecond keep their order: rowid follows insertion.
    .orderBy(desc(dealStageHistory.movedAt), sql`${dealStageHistory}.rowid desc`);
  const [stage] = await db
    .select({ id: pipelineStages.id, name: pipelineStages.name, kind: pipelineStages.kind, winProbability: pipelineStages.winProbability })
    .from(pipelineStages)
    .where(eq(pipelineStages.id, deal.stageId));
  return { ...deal, status: stage?.kind ?? 'open', stage: stage ?? null, nextActivity: parseNextActivity(next?.json ?? null), history };
}

export interface DealQuery {
  pipelineId?: string;
  stageId?: string;
  ownerId?: string;
  leadId?: string;
  status?: DealStatus;
  q?: string;
  cursor?: string;
  limit: number;
}

/**
 * Deals of the workspace, newest first, filtered by pipeline, stage, owner, lead, status (open / won / lost) and a name search;
 * each with its next open activity (`window`: what "overdue" is measured against).
 */
export async function listDeals(db: Db, workspaceId: string, query: DealQuery, window: DueWindow) {
  const cursor = decodeCursor(query.cursor);
  const like = query.q ? containingPattern(query.q) : null;
  const conditions: Array<SQL | undefined> = [
    eq(deals.workspaceId, workspaceId),
    query.pipelineId ? eq(deals.pipelineId, query.pipelineId) : undefined,
    query.stageId ? eq(deals.stageId, query.stageId) : undefined,
    query.ownerId ? eq(deals.ownerId, query.ownerId) : undefined,
    query.leadId ? eq(deals.leadId, query.leadId) : undefined,
    query.status ? eq(pipelineStages.kind, query.status) : undefined,
    like
      ? or(
          sql`lower(${deals.name}) like ${like} escape '\\'`,
          sql`${deals.leadId} in (select id from leads where workspace_id = ${workspaceId} and (email like ${like} escape '\\' or lower(coalesce(name, '')) like ${like} escape '\\'))`,
        )
      : undefined,
    olderThan(deals.createdAt, deals.id, cursor),
  ];
  const rows = await db
    .select({ deal: deals, status: pipelineStages.kind, stageName: pipelineStages.name, nextActivity: nextActivitySql(window) })
    .from(deals)
    .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
    .where(and(...conditions))
    .orderBy(desc(deals.createdAt), desc(deals.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1)?.deal;
  return {
    deals: page.map((r) => ({ ...r.deal, status: r.status, stageName: r.stageName, nextActivity: parseNextActivity(r.nextActivity) })),
    nextCursor: nextCursor(rows.length, query.limit, last),
  };
}

/** Lead, owner and source funnel must belong to the workspace; reports every bad reference at once. */
/** The source the handoff report files a deal under: the lead's first-touch UTM source, else the deal's own attribution. */
export function dealSource(leadSource: string | null | undefined, attribution: Record<string, string> | null | undefined): string {
  return (leadSource || attribution?.source || '').slice(0, 100);
}

/** Checks the references and returns the linked lead's source ('' without a lead). */
async function checkReferences(db: Db, workspaceId: string, fields: Partial<DealFields>): Promise<{ leadSource: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  const [lead, owner, funnel] = await Promise.all([
    fields.leadId
      ? db
          .select({ id: leads.id, source: leads.source })
          .from(leads)
          .where(and(eq(leads.id, fields.leadId), eq(leads.workspaceId, workspaceId)))
      : [{ id: null, source: '' }],
    fields.ownerId
      ? db
          .select({ id: memberships.userId })
          .from(memberships)
          .where(and(eq(memberships.userId, fields.ownerId), eq(memberships.workspaceId, workspaceId)))
      : [true],
    fields.sourceFunnelId
      ? db
          .select({ id: funnels.id })
          .from(funnels)
          .where(and(eq(funnels.id, fields.sourceFunnelId), eq(funnels.workspaceId, workspaceId)))
      : [true],
  ]);
  if (!lead[0]) issues.push({ path: 'leadId', message: 'No such lead in this workspace.' });
  if (!owner[0]) issues.push({ path: 'ownerId', message: 'The owner must be a member of this workspace.' });
  if (!funnel[0]) issues.push({ path: 'sourceFunnelId', message: 'No such funnel in this workspace.' });
  if (issues.length) throw validationFailed(issues);
  return { leadSource: lead[0]!.source };
}

function requireLostReason(stage: Stage, reason: string | null | undefined): string | null {
  if (stage.kind !== 'lost') return null;
  if (!reason?.trim())
    throw validationFailed([{ path: 'lostReason', message: `Say why the deal was lost to move it to "${stage.name}".` }]);
  return reason.trim();
}

function stageIn(stages: Stage[], stageId: string): Stage {
  const stage = stages.find((s) => s.id === stageId);
  if (!stage) throw validationFailed([{ path: 'stageId', message: 'That stage is not in this pipeline.' }]);
  return stage;
}

/**
 * The sparse position for a deal placed at `index` in a column (excluding the deal itself).
 * Halves the gap between the neighbours; when there is no gap left the column is renumbered.
 */
async function positionAt(
  db: Db,
  pipelineId: string,
  stageId: string,
  index: number | undefined,
  excludeId: string | null,
): Promise<number> {
  const inColumn = and(eq(deals.pipelineId, pipelineId), eq(deals.stageId, stageId), excludeId ? ne(deals.id, excludeId) : undefined);
  if (index === undefined) {
    const [row] = await db
      .select({ last: max(deals.position) })
      .from(deals)
      .where(inColumn);
    return row?.last === null || row?.last === undefined ? 0 : row.last + POSITION_STEP;
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    const neighbours = await db
      .select({ position: deals.position })
      .from(deals)
      .where(inColumn)
      .orderBy(asc(deals.position), asc(deals.id))
      .limit(2)
      .offset(Math.max(index - 1, 0));
    const before = index === 0 ? undefined : neighbours[0]?.position;
    const after = index === 0 ? neighbours[0]?.position : neighbours[1]?.position;
    if (before === undefined && after === undefined) {
      if (index === 0) return 0;
      // Past the end: the bottom.
      return positionAt(db, pipelineId, stageId, undefined, excludeId);
    }
    if (before === undefined) return after! - POSITION_STEP;
    if (after === undefined) return before + POSITION_STEP;
    if (after - before >= 2) return Math.floor((before + after) / 2);
    await renumberColumn(db, pipelineId, stageId);
  }
  throw new AppError(500, 'position_unavailable', 'Could not find a position in that column.');
}

/** Spreads a column's positions out again (same order); rare, since each move halves a 1024 gap. */
async function renumberColumn(db: Db, pipelineId: string, stageId: string): Promise<void> {
  // The ranks are materialised before any row changes: computed inside the UPDATE, they would
  // see the positions already rewritten and hand out duplicates.
  await db.run(sql`
    with r as materialized (
      select id, row_number() over (order by position, id) as rn from deals where pipeline_id = ${pipelineId} and stage_id = ${stageId}
    )
    update deals set position = r.rn * ${POSITION_STEP} from r where r.id = deals.id`);
}

/** Turns the one-open-deal-per-lead-per-pipeline index violation into a 409; rethrows anything else. */
export function openDealConflict(err: unknown): never {
  const text =
    String((err as { message?: unknown })?.message ?? '') + String((err as { cause?: { message?: unknown } })?.cause?.message ?? '');
  if (text.includes('deals_open_lead_uq') || text.includes('deals.pipeline_id, deals.lead_id')) {
    throw new AppError(409, 'open_deal_exists', 'This lead already has an open deal in that pipeline.');
  }
  throw err;
}

export async function createDeal(ctx: WriteCtx, workspaceId: string, input: NewDeal, actor: Actor): Promise<Deal> {
  const { pipeline, stages } = await loadPipelineStages(ctx.db, workspaceId, input.pipelineId);
  const stage = input.stageId ? stageIn(stages, input.stageId) : stages.find((s) => s.kind === 'open');
  if (!stage) throw validationFailed([{ path: 'stageId', message: 'This pipeline has no open stage; choose a stage.' }]);
  const lostReason = requireLostReason(stage, input.lostReason);
  const { leadSource } = await checkReferences(ctx.db, workspaceId, input);
  const position = await positionAt(ctx.db, pipeline.id, stage.id, input.position, null);
  const origin = input.origin ?? originOfActor(actor);
  const deal = newDealRow(ctx.newId(), workspaceId, stage, input, { position, lostReason, leadSource, origin, now: ctx.clock() });
  const writes = newDealWrites(ctx, deal, stage, actor);
  await commitWithEvents(ctx, workspaceId, writes.statements, writes.events).catch(openDealConflict);
  return deal;
}

/**
 * A new deal's row in `stage` of its pipeline: entered now, closed now when the stage is won or
 * lost, filed under its lead's source (else its own attribution). Written by `newDealWrites`.
 */
export function newDealRow(
  id: string,
  workspaceId: string,
  stage: Pick<Stage, 'id' | 'pipelineId' | 'kind'>,
  fields: DealFields,
  placed: { position: number; lostReason: string | null; leadSource: string | null; origin: DealOrigin; now: number },
): Deal {
  const { now } = placed;
  return {
    id,
    workspaceId,
    pipelineId: stage.pipelineId,
    stageId: stage.id,
    position: placed.position,
    name: fields.name,
    valueMinor: fields.valueMinor,
    currency: fields.currency,
    leadId: fields.leadId ?? null,
    ownerId: fields.ownerId ?? null,
    expectedCloseAt: fields.expectedCloseAt ?? null,
    sourceFunnelId: fields.sourceFunnelId ?? null,
    attribution: fields.attribution ?? {},
    source: dealSource(placed.leadSource, fields.attribution),
    notes: fields.notes ?? null,
    lostReason: placed.lostReason,
    origin: placed.origin,
    stageEnteredAt: now,
    closedAt: stage.kind === 'open' ? null : now,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * A new deal's writes and webhook events: the row, its first history entry (from no stage),
 * deal.created (and won / lost). `position` may be SQL computed inside the batch (the column's bottom).
 */
export function newDealWrites(ctx: Pick<WriteCtx, 'db' | 'newId'>, deal: Deal, stage: Stage, actor: Actor, position?: SQL) {
  return {
    statements: [
      ctx.db.insert(deals).values(position ? { ...deal, position } : deal),
      ctx.db.insert(dealStageHistory).values({
        id: ctx.newId(),
        workspaceId: deal.workspaceId,
        dealId: deal.id,
        pipelineId: deal.pipelineId,
        fromStageId: null,
        toStageId: stage.id,
        msInFromStage: null,
        movedBy: actor,
        movedAt: deal.createdAt,
      }),
    ] as BatchItem<'sqlite'>[],
    events: [
      { type: 'deal.created', data: { deal: dealPayload(deal), stage: { id: stage.id, name: stage.name, kind: stage.kind } } },
      ...stageChangeEvents(deal, null, stage),
    ] as OutboxEvent[],
  };
}

export interface DealPatch extends Partial<DealFields> {
  /** Only for a deal in a lost stage (it cannot be emptied there). */
  lostReason?: string;
}

export async function updateDeal(ctx: WriteCtx, workspaceId: string, dealId: string, patch: DealPatch): Promise<Deal> {
  const deal = await loadDeal(ctx.db, workspaceId, dealId);
  if (patch.lostReason !== undefined) {
    const [stage] = await ctx.db.select().from(pipelineStages).where(eq(pipelineStages.id, deal.stageId));
    if (stage?.kind !== 'lost')
      throw validationFailed([{ path: 'lostReason', message: 'Only a lost deal has a lost reason; move it to a lost stage instead.' }]);
    patch = { ...patch, lostReason: requireLostReason(stage, patch.lostReason)! };
  }
  const { leadSource } = await checkReferences(ctx.db, workspaceId, patch);
  const next: Deal = { ...deal, ...definedOnly(patch), updatedAt: ctx.clock() };
  // A new lead or attribution files the deal under its source again (the lead's first touch wins).
  if (patch.leadId !== undefined || patch.attribution !== undefined) {
    const keptLead = patch.leadId === undefined && next.leadId;
    const [current] = keptLead ? await ctx.db.select({ source: leads.source }).from(leads).where(eq(leads.id, keptLead)) : [];
    next.source = dealSource(keptLead ? current?.source : leadSource, next.attribution);
  }
  await commitWithEvents(ctx, workspaceId, [ctx.db.update(deals).set(next).where(eq(deals.id, dealId))], []).catch(openDealConflict);
  return next;
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Moves a deal to a stage (of its own pipeline) and a position in that column. A move within the
 * same column only reorders; a move to another stage is recorded in the history.
 */
export async function moveDeal(ctx: WriteCtx, workspaceId: string, dealId: string, move: DealMove, actor: Actor): Promise<Deal> {
  return (await moveDealTo(ctx, workspaceId, dealId, move, actor)).deal;
}

/** The deal's neighbours in the target column of a move, read with the deal (see `loadMove`). */
interface Slot {
  /** Positions at `index - 1` and `index` (at 0: just the first), other deals only, in column order. */
  neighbours: number[];
  /** The column's last position (other deals only); null for an empty column. */
  last: number | null;
}

/** Where `index` falls between the slot's neighbours; null when the gap there is used up (the column needs renumbering). */
function positionInSlot(slot: Slot, index: number | undefined): number | null {
  const bottom = slot.last === null ? 0 : slot.last + POSITION_STEP;
  if (index === undefined) return bottom;
  const [first, second] = slot.neighbours;
  if (index === 0) return first === undefined ? 0 : first - POSITION_STEP;
  if (first === undefined) return bottom; // past the end
  if (second === undefined) return first + POSITION_STEP;
  return second - first >= 2 ? Math.floor((first + second) / 2) : null;
}

/** `"table"."column"`, however drizzle would render the column where it is embedded (it leaves some unqualified). */
const qualified = (column: AnySQLiteColumn) => sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;

/** The stages of the outer query's deal's pipeline as one JSON array (every column, by property name). */
const stagesOfDealJson = () => {
  const columns = Object.entries(getTableColumns(pipelineStages)).flatMap(([key, column]) => [sql.raw(`'${key}'`), qualified(column)]);
  return sql<string>`(select json_group_array(json_object(${sql.join(columns, sql`, `)})) from ${pipelineStages}
    where ${qualified(pipelineStages.pipelineId)} = ${qualified(deals.pipelineId)})`;
};

/**
 * Everything a move needs in one statement (one row): the deal (in this workspace), its pipeline's
 * stages, the deal's neighbours at the target index in the target column (on
 * deals_pipeline_stage_idx) and the workspace's enabled webhook endpoints. Prepared once per
 * database: a move is the hot path, and building this query costs about as much as running it.
 */
function prepareMoveRead(db: Db) {
  const otherInColumn = sql`n.pipeline_id = ${qualified(deals.pipelineId)} and n.stage_id = ${sql.placeholder('stageId')} and n.id <> ${qualified(deals.id)}`;
  return db
    .select({
      deal: deals,
      stages: stagesOfDealJson(),
      neighbours: sql<string | null>`(select json_group_array(position order by position) from (
          select n.position from ${deals} n where ${otherInColumn} order by n.position, n.id limit ${sql.placeholder('take')} offset ${sql.placeholder('skip')}))`,
      last: sql<number | null>`(select n.position from ${deals} n where ${otherInColumn} order by n.position desc, n.id desc limit 1)`,
      endpoints: sql<
        string | null
      >`case when ${qualified(deals.stageId)} <> ${sql.placeholder('stageId')} then ${subscribedEndpointsSql(sql.placeholder('workspaceId'))} end`,
    })
    .from(deals)
    .where(and(eq(deals.id, sql.placeholder('dealId')), eq(deals.workspaceId, sql.placeholder('workspaceId'))))
    .prepare();
}

const moveRead = preparedPerDatabase(prepareMoveRead);

async function loadMove(db: Db, workspaceId: string, dealId: string, move: DealMove) {
  const index = move.position;
  const [row] = await moveRead(db).all({
    dealId,
    workspaceId,
    stageId: move.stageId,
    take: index === 0 ? 1 : 2,
    skip: Math.max((index ?? 0) - 1, 0),
  });
  if (!row) throw notFound('Deal');
  const stages = JSON.parse(row.stages) as Stage[];
  const slot: Slot = { neighbours: row.neighbours ? (JSON.parse(row.neighbours) as number[]) : [], last: row.last };
  return { deal: row.deal, stages, to: stageIn(stages, move.stageId), slot, endpoints: parseSubscribedEndpoints(row.endpoints) };
}

/**
 * moveDeal, also telling the stage the deal is in now. Two trips to the database: one read (see
 * `loadMove`), then one write — a reorder within the column is a single UPDATE, a stage change one
 * atomic batch (deal, history row, webhook outbox rows).
 */
export async function moveDealTo(
  ctx: WriteCtx,
  workspaceId: string,
  dealId: string,
  move: DealMove,
  actor: Actor,
): Promise<{ deal: Deal; stage: Stage }> {
  const { deal, stages, to, slot, endpoints } = await loadMove(ctx.db, workspaceId, dealId, move);
  const from = stages.find((s) => s.id === deal.stageId) ?? null;
  const lostReason =
    to.id === deal.stageId ? deal.lostReason : requireLostReason(to, move.lostReason ?? (to.kind === 'lost' ? deal.lostReason : null));
  // No gap left between the neighbours: renumber the column and look again (rare: each move halves a 1,024 gap).
  const position = positionInSlot(slot, move.position) ?? (await positionAt(ctx.db, deal.pipelineId, to.id, move.position, deal.id));
  const now = ctx.clock();
  if (to.id === deal.stageId) {
    const next = { ...deal, position, updatedAt: now };
    await ctx.db.update(deals).set({ position, updatedAt: now }).where(eq(deals.id, deal.id));
    return { deal: next, stage: to };
  }
  const change = stageChangeWrites(ctx, deal, { from, to, position, lostReason, actor, now });
  await commitWithEvents(ctx, workspaceId, change.statements, change.events, endpoints).catch(openDealConflict);
  return { deal: change.next, stage: to };
}

export interface StageChange {
  /** The stage the deal is in (null if it is not among its pipeline's stages any more). */
  from: Stage | null;
  to: Stage;
  /** A column position, or SQL computing one inside the batch (the column's bottom). */
  position: number | SQL;
  lostReason: string | null;
  actor: Actor;
  now: number;
  /** A value that changes with the move (a purchase sets the order's amount). */
  value?: Pick<Deal, 'valueMinor' | 'currency'>;
  /**
   * Compare-and-set: the update applies only while the deal is still in the stage, since the time,
   * it was read in; otherwise it changes nothing (an automation then fails its own run key).
   */
  ifUnmoved?: boolean;
}

/**
 * The one way a deal changes stage: the deal update (closing or reopening it, see `closedAtAfter`),
 * its history row (time spent in the old stage) and its webhook events, to commit in one batch.
 * `next` is the deal as moved (with its old position when `position` is SQL).
 */
export function stageChangeWrites(ctx: Pick<WriteCtx, 'db' | 'newId'>, deal: Deal, change: StageChange) {
  const { from, to, position, lostReason, now } = change;
  const closedAt = closedAtAfter(from?.kind ?? null, to.kind, deal.closedAt, now);
  const next: Deal = {
    ...deal,
    ...change.value,
    stageId: to.id,
    position: typeof position === 'number' ? position : deal.position,
    lostReason,
    stageEnteredAt: now,
    closedAt,
    updatedAt: now,
  };
  const unmoved = change.ifUnmoved ? and(eq(deals.stageId, deal.stageId), eq(deals.stageEnteredAt, deal.stageEnteredAt)) : undefined;
  return {
    next,
    statements: [
      ctx.db
        .update(deals)
        .set({ stageId: to.id, position, ...change.value, lostReason, stageEnteredAt: now, closedAt, updatedAt: now })
        .where(unmoved ? and(eq(deals.id, deal.id), unmoved) : eq(deals.id, deal.id)),
      ctx.db.insert(dealStageHistory).values({
        id: ctx.newId(),
        workspaceId: deal.workspaceId,
        dealId: deal.id,
        pipelineId: deal.pipelineId,
        fromStageId: deal.stageId,
        toStageId: to.id,
        msInFromStage: Math.max(0, now - deal.stageEnteredAt),
        movedBy: change.actor,
        movedAt: now,
      }),
    ] as BatchItem<'sqlite'>[],
    events: stageChangeEvents(next, from, to),
  };
}

export async function deleteDeal(db: Db, workspaceId: string, dealId: string): Promise<void> {
  const deleted = await db
    .delete(deals)
    .where(and(eq(deals.id, dealId), eq(deals.workspaceId, workspaceId)))
    .returning({ id: deals.id });
  if (deleted.length === 0) throw notFound('Deal');
}
