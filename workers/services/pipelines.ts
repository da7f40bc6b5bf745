/**
 * Pipelines and their stages: create (blank or from the article's B2B / B2C templates), rename,
 * name the won and lost stages, add, edit, reorder and remove stages, delete.
 *
 * Invariants kept here (each refused with a 4xx rather than broken):
 * - a pipeline keeps at least one open, one won and one lost stage, and names a won and a lost
 *   stage of its own (re-pointed to the next stage of that kind when the named one goes);
 * - won stages carry probability 100, lost stages 0, open stages 0–100; only open stages rot;
 * - stage names are unique within a pipeline, pipeline names within a workspace (case-insensitive),
 *   as in HubSpot — imports and automations find stages by name;
 * - a stage's kind changes only while it is empty (its deals' close times would otherwise lie);
 * - a stage that holds deals is removed only by saying where they go (`moveTo`); each moved deal
 *   gets a history row and the usual close-time rules, all in the same batch as the removal.
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { dealStageHistory, deals, pipelineStages, pipelines, qualificationRules } from '../../db/schema';
import type { StageKind } from '../domain/stage-kinds';
import type { Db } from '../../db/types';
import { AppError, conflict, notFound, validationFailed } from '../domain/errors';
import { probabilityForKind } from '../domain/forecast';
import type { PipelineTemplate, StageTemplate } from '../domain/pipeline-templates';
import { PIPELINE_TEMPLATES } from '../domain/pipeline-templates';
import type { ServiceCtx } from './context';
import { closedAtAfter, loadPipelineStages, openDealConflict, POSITION_STEP, stageChangeEvents, type Actor, type Deal } from './deals';
import type { OutboxEvent } from './webhook-outbox';
import { commitWithEvents, type WriteCtx } from './write-context';

type Ctx = Pick<ServiceCtx, 'db' | 'clock' | 'newId'>;
type Pipeline = typeof pipelines.$inferSelect;
type Stage = typeof pipelineStages.$inferSelect;

export const MAX_STAGES_PER_PIPELINE = 50;

/**
 * "Blank" is the smallest pipeline that works: one open stage to put new deals in, and the two
 * closing stages every CRM has (HubSpot keeps "Closed won" / "Closed lost" in every pipeline).
 * The team renames the open stage and adds its own.
 */
const BLANK_PIPELINE: Pick<PipelineTemplate, 'name' | 'stages'> = {
  name: 'New pipeline',
  stages: [
    { name: 'New', kind: 'open', winProbability: 10 },
    { name: 'Closed won', kind: 'won', winProbability: 100 },
    { name: 'Closed lost', kind: 'lost', winProbability: 0 },
  ],
};

export const TEMPLATE_KEYS = ['blank', 'b2b', 'b2c'] as const;
type TemplateKey = (typeof TEMPLATE_KEYS)[number];

function pipelineTemplate(key: TemplateKey): Pick<PipelineTemplate, 'name' | 'stages'> {
  return key === 'blank' ? BLANK_PIPELINE : PIPELINE_TEMPLATES[key];
}

/** Rows for a pipeline built from a template; the caller writes them in one batch with anything else. */
export function pipelineFromTemplate(
  ctx: Ctx,
  workspaceId: string,
  template: Pick<PipelineTemplate, 'name' | 'stages'>,
  name = template.name,
) {
  const now = ctx.clock();
  const pipelineId = ctx.newId();
  const stages = template.stages.map((s: StageTemplate, i) => ({
    id: ctx.newId(),
    workspaceId,
    pipelineId,
    name: s.name,
    position: i,
    kind: s.kind,
    winProbability: s.winProbability,
    rottingDays: s.rottingDays ?? null,
    createdAt: now,
  }));
  // The first stage of each closing kind is the one the pipeline names as its won / lost stage.
  const wonStageId = stages.find((s) => s.kind === 'won')?.id ?? null;
  const lostStageId = stages.find((s) => s.kind === 'lost')?.id ?? null;
  return {
    pipeline: { id: pipelineId, workspaceId, name, wonStageId, lostStageId, createdAt: now, updatedAt: now },
    stages,
  };
}

// ── Reading ──────────────────────────────────────────────────────────────────

export interface CurrencyTotal {
  currency: string;
  count: number;
  valueMinor: number;
}

/** Deal count and per-currency value of every stage of the given pipelines (or the whole workspace). */
async function stageTotals(db: Db, workspaceId: string, pipelineId?: string) {
  const rows = await db
    .select({
      stageId: deals.stageId,
      currency: deals.currency,
      count: sql<number>`count(*)`,
      valueMinor: sql<number>`coalesce(sum(${deals.valueMinor}), 0)`,
    })
    .from(deals)
    .where(pipelineId ? and(eq(deals.pipelineId, pipelineId), eq(deals.workspaceId, workspaceId)) : eq(deals.workspaceId, workspaceId))
    .groupBy(deals.stageId, deals.currency)
    .orderBy(asc(deals.currency));
  const byStage = new Map<string, { dealCount: number; totals: CurrencyTotal[] }>();
  for (const r of rows) {
    const entry = byStage.get(r.stageId) ?? { dealCount: 0, totals: [] };
    entry.dealCount += Number(r.count);
    entry.totals.push({ currency: r.currency, count: Number(r.count), valueMinor: Number(r.valueMinor) });
    byStage.set(r.stageId, entry);
  }
  return (stageId: string) => byStage.get(stageId) ?? { dealCount: 0, totals: [] };
}

function pipelinePayload(p: Pipeline, stages: Stage[], totals: (stageId: string) => { dealCount: number; totals: CurrencyTotal[] }) {
  const { automations: _automations, ...rest } = p;
  return {
    ...rest,
    stages: stages.map((s) => ({ ...s, ...totals(s.id) })),
  };
}

/** Every pipeline of the workspace with its stages in order; each stage with its deal count and value per currency. */
export async function listPipelines(db: Db, workspaceId: string) {
  const [rows, stageRows, totals] = await Promise.all([
    // Oldest first; rowid breaks ties in creation order.
    db
      .select()
      .from(pipelines)
      .where(eq(pipelines.workspaceId, workspaceId))
      .orderBy(asc(pipelines.createdAt), sql`rowid`),
    db.select().from(pipelineStages).where(eq(pipelineStages.workspaceId, workspaceId)).orderBy(asc(pipelineStages.position)),
    stageTotals(db, workspaceId),
  ]);
  return rows.map((p) =>
    pipelinePayload(
      p,
      stageRows.filter((s) => s.pipelineId === p.id),
      totals,
    ),
  );
}

/** One pipeline with its stages (deal count and value per currency each); the deals themselves are on the board. */
export async function getPipeline(db: Db, workspaceId: string, pipelineId: string) {
  const { pipeline, stages } = await loadPipelineStages(db, workspaceId, pipelineId);
  return pipelinePayload(pipeline, stages, await stageTotals(db, workspaceId, pipelineId));
}

// ── Pipelines ────────────────────────────────────────────────────────────────

async function assertPipelineNameFree(db: Db, workspaceId: string, name: string, exceptId?: string): Promise<void> {
  const [taken] = await db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(
      and(
        eq(pipelines.workspaceId, workspaceId),
        sql`lower(${pipelines.name}) = lower(${name})`,
        exceptId ? sql`${pipelines.id} != ${exceptId}` : undefined,
      ),
    )
    .limit(1);
  if (taken) throw conflict(`A pipeline named "${name}" already exists in this workspace.`, 'pipeline_name_taken');
}

export interface NewPipeline {
  name: string;
  template: TemplateKey;
}

export async function createPipeline(ctx: Ctx, workspaceId: string, input: NewPipeline) {
  await assertPipelineNameFree(ctx.db, workspaceId, input.name);
  const { pipeline, stages } = pipelineFromTemplate(ctx, workspaceId, pipelineTemplate(input.template), input.name);
  await ctx.db.batch([ctx.db.insert(pipelines).values(pipeline), ctx.db.insert(pipelineStages).values(stages)]);
  return getPipeline(ctx.db, workspaceId, pipeline.id);
}

export interface PipelinePatch {
  name?: string;
  wonStageId?: string;
  lostStageId?: string;
}

export async function updatePipeline(ctx: Ctx, workspaceId: string, pipelineId: string, patch: PipelinePatch) {
  const { stages } = await loadPipelineStages(ctx.db, workspaceId, pipelineId);
  const issues: Array<{ path: string; message: string }> = [];
  for (const [field, kind] of [
    ['wonStageId', 'won'],
    ['lostStageId', 'lost'],
  ] as const) {
    const id = patch[field];
    if (id === undefined) continue;
    const stage = stages.find((s) => s.id === id);
    if (!stage) issues.push({ path: field, message: 'That stage is not in this pipeline.' });
    else if (stage.kind !== kind)
      issues.push({
        path: field,
        message: `"${stage.name}" is ${stage.kind === 'open' ? 'an' : 'a'} ${stage.kind} stage, not a ${kind} stage.`,
      });
  }
  if (issues.length) throw validationFailed(issues);
  if (patch.name !== undefined) await assertPipelineNameFree(ctx.db, workspaceId, patch.name, pipelineId);
  await ctx.db
    .update(pipelines)
    .set({ ...definedOnly(patch), updatedAt: ctx.clock() })
    .where(and(eq(pipelines.id, pipelineId), eq(pipelines.workspaceId, workspaceId)));
  return getPipeline(ctx.db, workspaceId, pipelineId);
}

/** Qualification rules whose action names this pipeline or stage (ids are unique, so a text match on the JSON is exact). */
async function rulesReferring(db: Db, workspaceId: string, id: string): Promise<string[]> {
  const rows = await db
    .select({ name: qualificationRules.name })
    .from(qualificationRules)
    .where(and(eq(qualificationRules.workspaceId, workspaceId), sql`instr(${qualificationRules.action}, ${`"${id}"`}) > 0`));
  return rows.map((r) => r.name);
}

function inUse(what: string, rules: string[]): AppError {
  const names = rules.map((n) => `"${n}"`).join(', ');
  return conflict(
    `${what} is used by the qualification rule${rules.length > 1 ? 's' : ''} ${names}; change or delete ${rules.length > 1 ? 'them' : 'it'} first.`,
    `${what.split(' ')[0]!.toLowerCase()}_in_use`,
  );
}

/**
 * Deleting a pipeline deletes its stages, and — only when the caller says so with `deleteDeals` —
 * its deals and their history. Without it, a pipeline that still holds deals is kept (409) so a
 * stray click cannot wipe a sales team's work; Pipedrive asks the same question.
 */
export async function deletePipeline(
  ctx: Ctx,
  workspaceId: string,
  pipelineId: string,
  options: { deleteDeals: boolean },
): Promise<{ deletedDeals: number }> {
  const { pipeline } = await loadPipelineStages(ctx.db, workspaceId, pipelineId);
  const [{ count } = { count: 0 }] = await ctx.db
    .select({ count: sql<number>`count(*)` })
    .from(deals)
    .where(eq(deals.pipelineId, pipelineId));
  const held = Number(count);
  if (held > 0 && !options.deleteDeals) {
    throw conflict(
      `"${pipeline.name}" holds ${held} deal${held === 1 ? '' : 's'}. Delete ${held === 1 ? 'it' : 'them'} first, or confirm deleting ${held === 1 ? 'it' : 'them'} with the pipeline (?deleteDeals=true).`,
      'pipeline_has_deals',
    );
  }
  const rules = await rulesReferring(ctx.db, workspaceId, pipelineId);
  if (rules.length) throw inUse('Pipeline', rules);
  // Deals go first: their stage reference has no cascade of its own.
  await ctx.db.batch([
    ctx.db.delete(deals).where(eq(deals.pipelineId, pipelineId)),
    ctx.db.delete(pipelines).where(eq(pipelines.id, pipelineId)),
  ]);
  return { deletedDeals: held };
}

// ── Stages ───────────────────────────────────────────────────────────────────

function stageOf(stages: Stage[], stageId: string): Stage {
  const stage = stages.find((s) => s.id === stageId);
  if (!stage) throw notFound('Stage');
  return stage;
}

function assertStageNameFree(stages: Stage[], name: string, exceptId?: string): void {
  const clash = stages.find((s) => s.id !== exceptId && s.name.toLowerCase() === name.toLowerCase());
  if (clash) throw conflict(`This pipeline already has a stage named "${clash.name}".`, 'stage_name_taken');
}

/** Probability for a stage of `kind`: required 0–100 for open stages, fixed (and checked if given) for closing ones. */
function resolveProbability(kind: StageKind, given: number | undefined, current: number | undefined): number {
  if (kind === 'open') {
    const p = given ?? current;
    if (p === undefined) throw validationFailed([{ path: 'winProbability', message: 'An open stage needs a win probability (0–100).' }]);
    return p;
  }
  const fixed = probabilityForKind(kind, 0);
  if (given !== undefined && given !== fixed) {
    throw validationFailed([{ path: 'winProbability', message: `A ${kind} stage always has a win probability of ${fixed}.` }]);
  }
  return fixed;
}

function resolveRotting(kind: StageKind, given: number | null | undefined, current: number | null | undefined): number | null {
  if (kind !== 'open') {
    if (given !== undefined && given !== null)
      throw validationFailed([{ path: 'rottingDays', message: 'Only open stages rot; leave rottingDays empty.' }]);
    return null;
  }
  return given === undefined ? (current ?? null) : given;
}

/** Where a new stage goes by default: right after the last open stage, before the closing ones (as HubSpot's editor does). */
function defaultStageIndex(stages: Stage[]): number {
  let lastOpen = -1;
  stages.forEach((s, i) => {
    if (s.kind === 'open') lastOpen = i;
  });
  return lastOpen + 1;
}

/** Updates for the stages whose position differs from their index in `ordered`. */
function positionWrites(db: Db, ordered: Array<Pick<Stage, 'id' | 'position'>>): BatchItem<'sqlite'>[] {
  return ordered.flatMap((s, i) =>
    s.position === i ? [] : [db.update(pipelineStages).set({ position: i }).where(eq(pipelineStages.id, s.id))],
  );
}

/** The pipeline's named won / lost stages after `remaining` replaces its stages: kept if still a stage of that kind, else the first such stage. */
function namedClosingStages(pipeline: Pipeline, remaining: Array<Pick<Stage, 'id' | 'kind'>>) {
  const pick = (current: string | null, kind: StageKind) =>
    remaining.find((s) => s.id === current && s.kind === kind)?.id ?? remaining.find((s) => s.kind === kind)?.id ?? null;
  return { wonStageId: pick(pipeline.wonStageId, 'won'), lostStageId: pick(pipeline.lostStageId, 'lost') };
}

function namedStageWrites(db: Db, pipeline: Pipeline, remaining: Array<Pick<Stage, 'id' | 'kind'>>, now: number): BatchItem<'sqlite'>[] {
  const named = namedClosingStages(pipeline, remaining);
  if (named.wonStageId === pipeline.wonStageId && named.lostStageId === pipeline.lostStageId) return [];
  return [
    db
      .update(pipelines)
      .set({ ...named, updatedAt: now })
      .where(eq(pipelines.id, pipeline.id)),
  ];
}

/** Refuses a change that would leave the pipeline without an open, a won or a lost stage. */
function assertKindsKept(remaining: Array<Pick<Stage, 'kind'>>): void {
  for (const kind of ['open', 'won', 'lost'] as const) {
    if (!remaining.some((s) => s.kind === kind)) {
      throw conflict(`A pipeline needs at least one ${kind} stage; add another ${kind} stage first.`, `last_${kind}_stage`);
    }
  }
}

async function dealCountIn(db: Db, pipelineId: string, stageId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)` })
    .from(deals)
    .where(and(eq(deals.pipelineId, pipelineId), eq(deals.stageId, stageId)));
  return Number(row?.count ?? 0);
}

export interface NewStage {
  name: string;
  kind: StageKind;
  winProbability?: number;
  rottingDays?: number | null;
  /** 0-based index among the stages; default: after the last open stage. */
  position?: number;
}

export async function addStage(ctx: Ctx, workspaceId: string, pipelineId: string, input: NewStage) {
  const { pipeline, stages } = await loadPipelineStages(ctx.db, workspaceId, pipelineId);
  if (stages.length >= MAX_STAGES_PER_PIPELINE) {
    throw conflict(`A pipeline has at most ${MAX_STAGES_PER_PIPELINE} stages.`, 'too_many_stages');
  }
  assertStageNameFree(stages, input.name);
  const now = ctx.clock();
  const stage: Stage = {
    id: ctx.newId(),
    workspaceId,
    pipelineId,
    name: input.name,
    kind: input.kind,
    winProbability: resolveProbability(input.kind, input.winProbability, undefined),
    rottingDays: resolveRotting(input.kind, input.rottingDays, undefined),
    position: -1,
    createdAt: now,
  };
  const index = Math.min(input.position ?? defaultStageIndex(stages), stages.length);
  const ordered = [...stages];
  ordered.splice(index, 0, stage);
  stage.position = index;
  // Positions are not unique, so the new row can go in before the stages after it shift down.
  await ctx.db.batch([
    ctx.db.insert(pipelineStages).values(stage),
    ...positionWrites(ctx.db, ordered),
    ...namedStageWrites(ctx.db, pipeline, ordered, now),
  ]);
  return { ...stage, dealCount: 0, totals: [] as CurrencyTotal[] };
}

export interface StagePatch {
  name?: string;
  kind?: StageKind;
  winProbability?: number;
  rottingDays?: number | null;
  /** New 0-based index among the stages. */
  position?: number;
}

export async function updateStage(ctx: Ctx, workspaceId: string, pipelineId: string, stageId: string, patch: StagePatch) {
  const { pipeline, stages } = await loadPipelineStages(ctx.db, workspaceId, pipelineId);
  const stage = stageOf(stages, stageId);
  if (patch.name !== undefined) assertStageNameFree(stages, patch.name, stageId);
  const kind = patch.kind ?? stage.kind;
  const kindChanges = kind !== stage.kind;
  if (kindChanges) {
    const held = await dealCountIn(ctx.db, pipelineId, stageId);
    if (held > 0) {
      throw conflict(
        `"${stage.name}" holds ${held} deal${held === 1 ? '' : 's'}; move ${held === 1 ? 'it' : 'them'} out before changing the stage's kind.`,
        'stage_has_deals',
      );
    }
    assertKindsKept(stages.map((s) => (s.id === stageId ? { ...s, kind } : s)));
  }
  const next: Stage = {
    ...stage,
    name: patch.name ?? stage.name,
    kind,
    // Reopening a closing stage needs a fresh probability: its 100 or 0 was never chosen.
    winProbability: resolveProbability(kind, patch.winProbability, kindChanges ? undefined : stage.winProbability),
    rottingDays: resolveRotting(kind, patch.rottingDays, kindChanges ? null : stage.rottingDays),
  };
  const ordered = stages.map((s) => (s.id === stageId ? next : s));
  if (patch.position !== undefined) {
    const from = ordered.findIndex((s) => s.id === stageId);
    ordered.splice(from, 1);
    ordered.splice(Math.min(patch.position, ordered.length), 0, next);
  }
  const now = ctx.clock();
  await ctx.db.batch([
    ctx.db
      .update(pipelineStages)
      .set({ name: next.name, kind: next.kind, winProbability: next.winProbability, rottingDays: next.rottingDays })
      .where(eq(pipelineStages.id, stageId)),
    ...positionWrites(ctx.db, ordered),
    ...namedStageWrites(ctx.db, pipeline, ordered, now),
  ]);
  const position = ordered.findIndex((s) => s.id === stageId);
  return { ...next, position, ...(await stageTotals(ctx.db, workspaceId, pipelineId))(stageId) };
}

/** Sets the order of all stages at once; `stageIds` must list every stage of the pipeline exactly once. */
export async function reorderStages(ctx: Ctx, workspaceId: string, pipelineId: string, stageIds: string[]) {
  const { stages } = await loadPipelineStages(ctx.db, workspaceId, pipelineId);
  const known = new Set(stages.map((s) => s.id));
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const id of stageIds) {
    if (!known.has(id)) problems.push(`${id} is not a stage of this pipeline`);
    else if (seen.has(id)) problems.push(`${id} is listed twice`);
    seen.add(id);
  }
  const missing = stages.filter((s) => !seen.has(s.id)).map((s) => `"${s.name}"`);
  if (missing.length) problems.push(`missing ${missing.join(', ')}`);
  if (problems.length)
    throw validationFailed([{ path: 'stageIds', message: `List every stage of the pipeline exactly once: ${problems.join('; ')}.` }]);
  const byId = new Map(stages.map((s) => [s.id, s]));
  const writes = positionWrites(
    ctx.db,
    stageIds.map((id) => byId.get(id)!),
  );
  if (writes.length) await ctx.db.batch(writes as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  return getPipeline(ctx.db, workspaceId, pipelineId);
}

export interface StageRemoval {
  /** Where the stage's deals go; required when it holds any. */
  moveTo?: string;
  /** For deals moved into a lost stage that have no lost reason yet. */
  lostReason?: string;
}

const HISTORY_ROWS_PER_INSERT = 500;

/**
 * Removes a stage. Its deals, if any, move to `moveTo` (bottom of that column, in their order),
 * each with a history row and the close-time rules of a normal move (closing sets closedAt,
 * reopening clears it and the lost reason); webhooks fire as for a move. All in one batch.
 */
export async function deleteStage(
  ctx: WriteCtx,
  workspaceId: string,
  pipelineId: string,
  stageId: string,
  removal: StageRemoval,
  actor: Actor,
) {
  const { pipeline, stages } = await loadPipelineStages(ctx.db, workspaceId, pipelineId);
  const stage = stageOf(stages, stageId);
  const remaining = stages.filter((s) => s.id !== stageId);
  assertKindsKept(remaining);
  const rules = await rulesReferring(ctx.db, workspaceId, stageId);
  if (rules.length) throw inUse('Stage', rules);
  if (JSON.stringify(pipeline.automations ?? {}).includes(`"${stageId}"`)) {
    throw conflict(`"${stage.name}" is used by this pipeline's automations; point them at another stage first.`, 'stage_in_use');
  }

  const held = await ctx.db
    .select()
    .from(deals)
    .where(and(eq(deals.pipelineId, pipelineId), eq(deals.stageId, stageId)))
    .orderBy(asc(deals.position), asc(deals.id));
  const now = ctx.clock();
  const writes: BatchItem<'sqlite'>[] = [];
  const events: OutboxEvent[] = [];
  let moved = 0;
  if (held.length > 0) {
    if (!removal.moveTo) {
      throw new AppError(
        409,
        'stage_has_deals',
        `"${stage.name}" holds ${held.length} deal${held.length === 1 ? '' : 's'}. Say where to move ${held.length === 1 ? 'it' : 'them'} (moveTo=<stage id>).`,
        [{ path: 'moveTo', message: `Choose a stage for the ${held.length} deal${held.length === 1 ? '' : 's'} in "${stage.name}".` }],
      );
    }
    const to = remaining.find((s) => s.id === removal.moveTo);
    if (!to) throw validationFailed([{ path: 'moveTo', message: 'Choose another stage of this pipeline.' }]);
    const reason = removal.lostReason?.trim() || null;
    if (to.kind === 'lost' && !reason && held.some((d) => !d.lostReason)) {
      throw validationFailed([{ path: 'lostReason', message: `Say why these deals were lost to move them to "${to.name}".` }]);
    }
    const [{ last } = { last: null }] = await ctx.db
      .select({ last: sql<number | null>`max(${deals.position})` })
      .from(deals)
      .where(and(eq(deals.pipelineId, pipelineId), eq(deals.stageId, to.id)));
    const base = last === null ? 0 : Number(last) + POSITION_STEP;
    const history: Array<typeof dealStageHistory.$inferInsert> = [];
    held.forEach((deal, i) => {
      const lostReason = to.kind === 'lost' ? (deal.lostReason ?? reason) : null;
      const next: Deal = {
        ...deal,
        stageId: to.id,
        position: base + i * POSITION_STEP,
        lostReason,
        stageEnteredAt: now,
        closedAt: closedAtAfter(stage.kind, to.kind, deal.closedAt, now),
        updatedAt: now,
      };
      history.push({
        id: ctx.newId(),
        workspaceId,
        dealId: deal.id,
        pipelineId,
        fromStageId: stage.id,
        toStageId: to.id,
        msInFromStage: Math.max(0, now - deal.stageEnteredAt),
        movedBy: actor,
        movedAt: now,
      });
      events.push(...stageChangeEvents(next, stage, to));
    });
    // One statement for all the deals: the same rules as moveDeal, expressed per row. Their ranks
    // in the old column are materialised first, so rows already moved do not shift the others.
    const closedAt: SQL = to.kind === 'open' ? sql`null` : stage.kind === to.kind ? sql`coalesce(closed_at, ${now})` : sql`${now}`;
    const lostReason: SQL = to.kind === 'lost' ? sql`coalesce(lost_reason, ${reason})` : sql`null`;
    writes.push(
      ctx.db.run(sql`
        with r as materialized (
          select id, row_number() over (order by position, id) - 1 as rn from deals where pipeline_id = ${pipelineId} and stage_id = ${stageId}
        )
        update deals set stage_id = ${to.id}, position = ${base} + r.rn * ${POSITION_STEP}, stage_entered_at = ${now},
          closed_at = ${closedAt}, lost_reason = ${lostReason}, updated_at = ${now}
        from r where r.id = deals.id`),
    );
    for (let i = 0; i < history.length; i += HISTORY_ROWS_PER_INSERT) {
      writes.push(ctx.db.insert(dealStageHistory).values(history.slice(i, i + HISTORY_ROWS_PER_INSERT)));
    }
    moved = held.length;
  }
  writes.push(ctx.db.delete(pipelineStages).where(eq(pipelineStages.id, stageId)));
  writes.push(...positionWrites(ctx.db, remaining), ...namedStageWrites(ctx.db, pipeline, remaining, now));
  await commitWithEvents(ctx, workspaceId, writes, events).catch(openDealConflict);
  return { movedDeals: moved, movedTo: moved ? removal.moveTo! : null };
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
