/**
 * Qualification rules per funnel, as the team manages them: list, create, change, reorder and
 * delete, with the checks that keep a rule's action pointing at an open stage and an assignable
 * owner. Applying the rules to leads (and trying one out) is qualification.ts.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { funnels, memberships, pipelineStages, pipelines, qualificationRules } from '../../db/schema';
import type { Db } from '../../db/types';
import { notFound, validationFailed, type FieldIssue } from '../domain/errors';
import type { Condition, RuleAction } from '../domain/qualification';
import type { WriteCtx } from './write-context';

export type RuleRow = typeof qualificationRules.$inferSelect;

export interface RuleInput {
  name: string;
  enabled: boolean;
  conditions: Condition[];
  action: RuleAction;
  /** 0-based place among the funnel's rules; default: last. */
  position?: number;
}

export async function requireFunnel(db: Db, workspaceId: string, funnelId: string) {
  const [funnel] = await db
    .select({ id: funnels.id, name: funnels.name })
    .from(funnels)
    .where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, workspaceId)));
  if (!funnel) throw notFound('Funnel');
  return funnel;
}

export async function requireRule(db: Db, workspaceId: string, funnelId: string, ruleId: string): Promise<RuleRow> {
  const [rule] = await db
    .select()
    .from(qualificationRules)
    .where(
      and(eq(qualificationRules.id, ruleId), eq(qualificationRules.funnelId, funnelId), eq(qualificationRules.workspaceId, workspaceId)),
    );
  if (!rule) throw notFound('Rule');
  return rule;
}

/** Owners and editors, in the order they joined: the round-robin order. */
export async function assignableMembers(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.role, ['owner', 'editor'])))
    .orderBy(asc(memberships.createdAt), asc(memberships.userId));
  return rows.map((r) => r.userId);
}

/** What is wrong with an action's references now (pipeline, stage or owner gone), for saving and for listing. */
async function actionProblems(db: Db, workspaceId: string, action: RuleAction): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  const [pipeline] = await db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.id, action.pipelineId), eq(pipelines.workspaceId, workspaceId)));
  if (!pipeline) issues.push({ path: 'action.pipelineId', message: 'No such pipeline in this workspace.' });
  else {
    const [stage] = await db
      .select({ kind: pipelineStages.kind })
      .from(pipelineStages)
      .where(and(eq(pipelineStages.id, action.stageId), eq(pipelineStages.pipelineId, pipeline.id)));
    if (!stage) issues.push({ path: 'action.stageId', message: 'That stage is not in this pipeline.' });
    else if (stage.kind !== 'open')
      issues.push({ path: 'action.stageId', message: 'Choose an open stage: a rule starts deals, it does not close them.' });
  }
  if (action.owner.kind === 'member' && !(await assignableMembers(db, workspaceId)).includes(action.owner.userId)) {
    issues.push({ path: 'action.owner.userId', message: 'The owner must be an owner or editor of this workspace.' });
  }
  return issues;
}

export function ruleView(rule: RuleRow, problems: FieldIssue[] = []) {
  return {
    id: rule.id,
    funnelId: rule.funnelId,
    name: rule.name,
    position: rule.position,
    enabled: rule.enabled,
    conditions: rule.conditions as Condition[],
    action: rule.action as RuleAction,
    assignCursor: rule.assignCursor,
    createdAt: rule.createdAt,
    updatedAt: rule.updatedAt,
    /** References that broke after saving (a deleted pipeline or stage, an owner who left): the rule is skipped until fixed. */
    problems,
  };
}

async function funnelRules(db: Db, funnelId: string): Promise<RuleRow[]> {
  return db
    .select()
    .from(qualificationRules)
    .where(eq(qualificationRules.funnelId, funnelId))
    .orderBy(asc(qualificationRules.position), asc(qualificationRules.id));
}

export async function listRules(db: Db, workspaceId: string, funnelId: string) {
  await requireFunnel(db, workspaceId, funnelId);
  const rules = await funnelRules(db, funnelId);
  return Promise.all(rules.map(async (r) => ruleView(r, await actionProblems(db, workspaceId, r.action as RuleAction))));
}

export async function getRule(db: Db, workspaceId: string, funnelId: string, ruleId: string) {
  await requireFunnel(db, workspaceId, funnelId);
  const rule = await requireRule(db, workspaceId, funnelId, ruleId);
  return ruleView(rule, await actionProblems(db, workspaceId, rule.action as RuleAction));
}

/** One atomic batch; nothing to do for none. */
async function runBatch(db: Db, items: BatchItem<'sqlite'>[]): Promise<void> {
  if (items.length) await db.batch(items as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
}

/** Writes positions 0..n-1 in the given order (only rows whose position changes). */
function positionWrites(ctx: WriteCtx, ordered: Array<{ id: string; position: number }>, now: number) {
  return ordered.flatMap((r, i) =>
    r.position === i ? [] : [ctx.db.update(qualificationRules).set({ position: i, updatedAt: now }).where(eq(qualificationRules.id, r.id))],
  );
}

function placeAt<T>(items: T[], item: T, index: number | undefined): T[] {
  const at = index === undefined ? items.length : Math.min(Math.max(index, 0), items.length);
  return [...items.slice(0, at), item, ...items.slice(at)];
}

export async function createRule(ctx: WriteCtx, workspaceId: string, funnelId: string, input: RuleInput) {
  await requireFunnel(ctx.db, workspaceId, funnelId);
  const problems = await actionProblems(ctx.db, workspaceId, input.action);
  if (problems.length) throw validationFailed(problems);
  const now = ctx.clock();
  const id = ctx.newId();
  const ordered = placeAt<{ id: string; position: number }>(await funnelRules(ctx.db, funnelId), { id, position: -1 }, input.position);
  const row: RuleRow = {
    id,
    workspaceId,
    funnelId,
    name: input.name,
    position: ordered.findIndex((r) => r.id === id),
    enabled: input.enabled,
    conditions: input.conditions,
    action: input.action,
    assignCursor: 0,
    createdAt: now,
    updatedAt: now,
  };
  await runBatch(ctx.db, [ctx.db.insert(qualificationRules).values(row), ...positionWrites(ctx, ordered, now)]);
  return ruleView(row);
}

export async function updateRule(ctx: WriteCtx, workspaceId: string, funnelId: string, ruleId: string, patch: Partial<RuleInput>) {
  await requireFunnel(ctx.db, workspaceId, funnelId);
  const rule = await requireRule(ctx.db, workspaceId, funnelId, ruleId);
  const action = patch.action ?? (rule.action as RuleAction);
  const problems = await actionProblems(ctx.db, workspaceId, action);
  if (problems.length) throw validationFailed(problems);
  const now = ctx.clock();
  const next: RuleRow = {
    ...rule,
    name: patch.name ?? rule.name,
    enabled: patch.enabled ?? rule.enabled,
    conditions: patch.conditions ?? rule.conditions,
    action,
    updatedAt: now,
  };
  const writes: BatchItem<'sqlite'>[] = [
    ctx.db
      .update(qualificationRules)
      .set({ name: next.name, enabled: next.enabled, conditions: next.conditions, action: next.action, updatedAt: now })
      .where(eq(qualificationRules.id, ruleId)),
  ];
  if (patch.position !== undefined) {
    const others = (await funnelRules(ctx.db, funnelId)).filter((r) => r.id !== ruleId);
    const ordered = placeAt<{ id: string; position: number }>(others, { id: ruleId, position: -1 }, patch.position);
    writes.push(...positionWrites(ctx, ordered, now));
    next.position = ordered.findIndex((r) => r.id === ruleId);
  }
  await runBatch(ctx.db, writes);
  return ruleView(next);
}

export async function deleteRule(ctx: WriteCtx, workspaceId: string, funnelId: string, ruleId: string) {
  await requireFunnel(ctx.db, workspaceId, funnelId);
  await requireRule(ctx.db, workspaceId, funnelId, ruleId);
  const now = ctx.clock();
  const rest = (await funnelRules(ctx.db, funnelId)).filter((r) => r.id !== ruleId);
  await runBatch(ctx.db, [ctx.db.delete(qualificationRules).where(eq(qualificationRules.id, ruleId)), ...positionWrites(ctx, rest, now)]);
}

/** Puts the funnel's rules in this order; the list must name each of them exactly once. */
export async function reorderRules(ctx: WriteCtx, workspaceId: string, funnelId: string, ruleIds: string[]) {
  await requireFunnel(ctx.db, workspaceId, funnelId);
  const rules = await funnelRules(ctx.db, funnelId);
  const known = new Set(rules.map((r) => r.id));
  if (ruleIds.length !== rules.length || new Set(ruleIds).size !== ruleIds.length || !ruleIds.every((id) => known.has(id))) {
    throw validationFailed([{ path: 'ruleIds', message: "List each of this funnel's rules exactly once." }]);
  }
  const byId = new Map(rules.map((r) => [r.id, r]));
  const writes = positionWrites(
    ctx,
    ruleIds.map((id) => byId.get(id)!),
    ctx.clock(),
  );
  await runBatch(ctx.db, writes);
  return listRules(ctx.db, workspaceId, funnelId);
}
