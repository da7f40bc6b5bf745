/**
 * Qualifying leads: rules per funnel turn a lead into a deal (the rules themselves are managed in
 * qualification-rules.ts). `qualifyLead` rescores the lead from its history, then evaluates the
 * enabled rules of every funnel the lead has history in, in position order. Each matching rule
 * acts on its pipeline: the lead's open deal there is updated (name, value, currency) or, if there
 * is none, a deal is created in the rule's stage. The first rule of a pipeline wins: a later
 * matching rule for the same pipeline does nothing in that run. A closed deal is never reopened or
 * duplicated by the same activity: a new deal is created only when the lead submitted something in
 * the funnel after its last deal there closed. The first match ever sets `leads.qualified_at`
 * (never cleared) and emits `lead.qualified`. `testRule` is the dry run of one rule.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, max, sql } from 'drizzle-orm';
import { deals, leads, qualificationRules } from '../../db/schema';
import type { Db } from '../../db/types';
import { AppError, notFound } from '../domain/errors';
import {
  actionSchema,
  campaignFor,
  conditionsSchema,
  dealValueMinor,
  evaluateConditions,
  renderDealName,
  roundRobinPick,
  type Condition,
  type ConditionResult,
  type LeadFacts,
  type RuleAction,
} from '../domain/qualification';
import { effectiveFurthestStage, latestQuizOutcome, type FunnelHistory, type ScoreItem } from '../domain/scoring';
import { createDeal, updateDeal, type Deal } from './deals';
import { assignableMembers, requireFunnel, requireRule, ruleView, type RuleRow } from './qualification-rules';
import { chunks, loadLeadHistories, loadWorkspaceFunnels, scoreFromHistories, type FunnelInfo } from './scoring';
import { webhookDeliveryRows } from './webhook-outbox';
import type { WriteCtx } from './write-context';
import { log } from '../logger';

// ── Evaluation ───────────────────────────────────────────────────────────────

type LeadRow = Pick<
  typeof leads.$inferSelect,
  | 'id'
  | 'email'
  | 'name'
  | 'phone'
  | 'company'
  | 'fields'
  | 'score'
  | 'firstTouch'
  | 'source'
  | 'qualifiedAt'
  | 'sourceFunnelId'
  | 'furthestStage'
>;

const leadColumns = {
  id: leads.id,
  email: leads.email,
  name: leads.name,
  phone: leads.phone,
  company: leads.company,
  fields: leads.fields,
  score: leads.score,
  firstTouch: leads.firstTouch,
  source: leads.source,
  qualifiedAt: leads.qualifiedAt,
  sourceFunnelId: leads.sourceFunnelId,
  furthestStage: leads.furthestStage,
};

/** The furthest stage over the lead's funnels (what its submissions imply included), null before any. */
function leadFurthestStage(histories: FunnelHistory[], funnelsById: Map<string, FunnelInfo>): number | null {
  let furthest = -1;
  for (const h of histories) {
    const funnel = funnelsById.get(h.funnelId);
    if (funnel) furthest = Math.max(furthest, effectiveFurthestStage(h, funnel.stages));
  }
  return furthest < 0 ? null : furthest;
}

function factsOf(lead: LeadRow, score: number): LeadFacts {
  return { score, email: lead.email, name: lead.name, phone: lead.phone, company: lead.company, fields: lead.fields ?? {} };
}

interface ParsedRule {
  row: RuleRow;
  conditions: Condition[] | null;
  action: RuleAction | null;
}

function parseRule(row: RuleRow): ParsedRule {
  const conditions = conditionsSchema.safeParse(row.conditions);
  const action = actionSchema.safeParse(row.action);
  return { row, conditions: conditions.success ? conditions.data : null, action: action.success ? action.data : null };
}

export interface DealPreview {
  name: string;
  valueMinor: number;
  currency: string;
}

function previewDeal(action: RuleAction, lead: LeadRow, facts: LeadFacts, history: FunnelHistory, funnel: FunnelInfo): DealPreview {
  return {
    name: renderDealName(action.nameTemplate, {
      campaign: campaignFor(action, lead.firstTouch ?? {}, funnel.name),
      lead: { name: lead.name, email: lead.email, company: lead.company },
      funnelName: funnel.name,
      quizOutcome: latestQuizOutcome(history),
    }),
    valueMinor: dealValueMinor(action.value, action.currency, facts, history),
    currency: action.currency,
  };
}

type RuleOutcome =
  /** A deal was created in the rule's stage. */
  | 'created'
  /** The lead's open deal in the pipeline got the rule's name / value. */
  | 'updated'
  /** The open deal already had them. */
  | 'unchanged'
  /** The lead's deal in the pipeline closed after its last submission in the funnel. */
  | 'skipped_closed'
  /** An earlier rule already acted on this pipeline in this run. */
  | 'skipped_pipeline_done'
  /** The rule's pipeline, stage or owner no longer exists, or its stored JSON is not valid. */
  | 'invalid';

export interface QualifyResult {
  leadId: string;
  score: number;
  scoreItems: ScoreItem[];
  qualifiedAt: number | null;
  newlyQualified: boolean;
  rules: Array<{ ruleId: string; name: string; funnelId: string; outcome: RuleOutcome; dealId?: string; message?: string }>;
}

/** Loaded once per workspace and reused for every lead of a batch. */
interface Qualifier {
  ctx: WriteCtx;
  workspaceId: string;
  funnelsById: Map<string, FunnelInfo>;
  rulesByFunnel: Map<string, ParsedRule[]>;
  members: string[] | null;
}

async function qualifierFor(ctx: WriteCtx, workspaceId: string): Promise<Qualifier> {
  const [funnelsById, rules] = await Promise.all([
    loadWorkspaceFunnels(ctx.db, workspaceId),
    ctx.db
      .select()
      .from(qualificationRules)
      .where(and(eq(qualificationRules.workspaceId, workspaceId), eq(qualificationRules.enabled, true)))
      .orderBy(asc(qualificationRules.position), asc(qualificationRules.id)),
  ]);
  const rulesByFunnel = new Map<string, ParsedRule[]>();
  for (const r of rules) rulesByFunnel.set(r.funnelId, [...(rulesByFunnel.get(r.funnelId) ?? []), parseRule(r)]);
  return { ctx, workspaceId, funnelsById, rulesByFunnel, members: null };
}

/**
 * Rescores the lead from its history and applies the qualification rules of its funnels.
 * Safe to run any number of times: the score is recomputed, deals are updated rather than
 * duplicated, and `qualified_at` / `lead.qualified` happen once.
 */
export async function qualifyLead(ctx: WriteCtx, workspaceId: string, leadId: string): Promise<QualifyResult> {
  const q = await qualifierFor(ctx, workspaceId);
  const [lead] = await ctx.db
    .select(leadColumns)
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
  if (!lead) throw notFound('Lead');
  const histories = (await loadLeadHistories(ctx.db, workspaceId, [leadId], [...q.funnelsById.keys()])).get(leadId) ?? [];
  return qualifyLoaded(q, lead, histories);
}

/**
 * For the event pipeline: after events of these visitors were ingested, qualify the leads they
 * belong to (visitors not yet known as a lead are skipped). Leads are processed one by one; one
 * that fails does not stop the others, and is reported in `failed`.
 */
export async function qualifyLeadsForVisitors(ctx: WriteCtx, workspaceId: string, visitorIds: string[]) {
  const leadIds = new Set<string>();
  for (const ids of chunks([...new Set(visitorIds)])) {
    const rows = await ctx.db.all<{ lead_id: string }>(sql`
      select distinct lead_id from visitors
      where workspace_id = ${workspaceId} and lead_id is not null and id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`);
    for (const r of rows) leadIds.add(r.lead_id);
  }
  const results: QualifyResult[] = [];
  const failed: Array<{ leadId: string; error: string }> = [];
  if (leadIds.size === 0) return { results, failed };
  const q = await qualifierFor(ctx, workspaceId);
  for (const ids of chunks([...leadIds])) {
    const rows = await ctx.db
      .select(leadColumns)
      .from(leads)
      .where(and(eq(leads.workspaceId, workspaceId), inArray(leads.id, ids)));
    const histories = await loadLeadHistories(ctx.db, workspaceId, ids, [...q.funnelsById.keys()]);
    for (const lead of rows) {
      try {
        results.push(await qualifyLoaded(q, lead, histories.get(lead.id) ?? []));
      } catch (err) {
        log.error('Qualifying lead failed', { leadId: lead.id, err });
        failed.push({ leadId: lead.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  return { results, failed };
}

async function qualifyLoaded(q: Qualifier, lead: LeadRow, histories: FunnelHistory[]): Promise<QualifyResult> {
  const { ctx, workspaceId } = q;
  const scored = scoreFromHistories(histories, q.funnelsById);
  // `source` is the first-touch UTM source; the touch is attached to the lead after capture.
  const source = lead.firstTouch?.source?.trim() || lead.source;
  const stage = leadFurthestStage(histories, q.funnelsById);
  if (scored.score !== lead.score || source !== lead.source || stage !== lead.furthestStage) {
    await ctx.db.update(leads).set({ score: scored.score, source, furthestStage: stage }).where(eq(leads.id, lead.id));
  }
  const facts = factsOf(lead, scored.score);
  const result: QualifyResult = {
    leadId: lead.id,
    score: scored.score,
    scoreItems: scored.items,
    qualifiedAt: lead.qualifiedAt,
    newlyQualified: false,
    rules: [],
  };

  const candidates = histories
    .flatMap((history) => (q.rulesByFunnel.get(history.funnelId) ?? []).map((rule) => ({ rule, history })))
    .sort((a, b) => a.rule.row.position - b.rule.row.position || (a.rule.row.id < b.rule.row.id ? -1 : 1));
  const pipelinesDone = new Set<string>();
  for (const { rule, history } of candidates) {
    const funnel = q.funnelsById.get(history.funnelId)!;
    const report = (outcome: RuleOutcome, extra: { dealId?: string; message?: string } = {}) =>
      result.rules.push({ ruleId: rule.row.id, name: rule.row.name, funnelId: rule.row.funnelId, outcome, ...extra });
    if (!rule.conditions || !rule.action) {
      report('invalid', { message: 'The stored rule is not valid; edit and save it again.' });
      continue;
    }
    if (!evaluateConditions(rule.conditions, facts, history, funnel.stages).matched) continue;

    if (result.qualifiedAt === null) {
      const at = await markQualified(ctx, workspaceId, lead, scored.score, rule.row);
      result.qualifiedAt = at.qualifiedAt;
      result.newlyQualified = at.newly;
    }
    if (pipelinesDone.has(rule.action.pipelineId)) {
      report('skipped_pipeline_done');
      continue;
    }
    pipelinesDone.add(rule.action.pipelineId);
    try {
      const acted = await actOnPipeline(q, rule.row, rule.action, lead, facts, history, funnel);
      report(acted.outcome, acted.dealId ? { dealId: acted.dealId } : {});
    } catch (err) {
      // A pipeline, stage or owner deleted after the rule was saved: skip the rule, keep the lead's other rules going.
      if (err instanceof AppError && (err.status === 404 || err.status === 400)) report('invalid', { message: err.message });
      else throw err;
    }
  }
  return result;
}

/**
 * Sets `qualified_at` if it is still empty and, in the same transaction and only if this write was
 * the one that set it, writes the `lead.qualified` outbox rows (`changes()` of the update), so
 * two concurrent runs emit the event once.
 */
async function markQualified(ctx: WriteCtx, workspaceId: string, lead: LeadRow, score: number, rule: RuleRow) {
  const now = ctx.clock();
  const deliveries = await webhookDeliveryRows(
    ctx.db,
    workspaceId,
    [
      {
        type: 'lead.qualified',
        data: {
          lead: {
            id: lead.id,
            email: lead.email,
            name: lead.name,
            company: lead.company,
            score,
            source: lead.firstTouch?.source?.trim() || lead.source,
            sourceFunnelId: lead.sourceFunnelId,
            qualifiedAt: now,
          },
          rule: { id: rule.id, name: rule.name, funnelId: rule.funnelId },
        },
      },
    ],
    now,
    ctx.newId,
  );
  const results = await ctx.db.batch([
    ctx.db
      .update(leads)
      .set({ qualifiedAt: now })
      .where(and(eq(leads.id, lead.id), isNull(leads.qualifiedAt))),
    ...deliveries.map((d) =>
      ctx.db.run(sql`
        insert into webhook_deliveries (id, workspace_id, endpoint_id, event_id, event_type, payload, status, attempts, next_attempt_at, created_at, updated_at)
        select ${d.id}, ${d.workspaceId}, ${d.endpointId}, ${d.eventId}, ${d.eventType}, ${d.payload}, 'pending', 0, ${d.nextAttemptAt}, ${d.createdAt}, ${d.updatedAt}
        where changes() = 1`),
    ),
  ]);
  const newly = Number((results[0] as { rowsAffected?: number }).rowsAffected ?? 0) === 1;
  if (newly) {
    ctx.notify(deliveries.map((d) => d.id));
    return { qualifiedAt: now, newly };
  }
  const [row] = await ctx.db.select({ qualifiedAt: leads.qualifiedAt }).from(leads).where(eq(leads.id, lead.id));
  return { qualifiedAt: row?.qualifiedAt ?? now, newly };
}

async function openDeal(db: Db, pipelineId: string, leadId: string): Promise<Deal | undefined> {
  const [deal] = await db
    .select()
    .from(deals)
    .where(and(eq(deals.pipelineId, pipelineId), eq(deals.leadId, leadId), isNull(deals.closedAt)))
    .limit(1);
  return deal;
}

async function actOnPipeline(
  q: Qualifier,
  rule: RuleRow,
  action: RuleAction,
  lead: LeadRow,
  facts: LeadFacts,
  history: FunnelHistory,
  funnel: FunnelInfo,
): Promise<{ outcome: RuleOutcome; dealId?: string }> {
  const { ctx, workspaceId } = q;
  const preview = previewDeal(action, lead, facts, history, funnel);
  const actor = `rule:${rule.id}`;

  const update = async (deal: Deal): Promise<{ outcome: RuleOutcome; dealId: string }> => {
    if (deal.name === preview.name && deal.valueMinor === preview.valueMinor && deal.currency === preview.currency)
      return { outcome: 'unchanged', dealId: deal.id };
    await updateDeal(ctx, workspaceId, deal.id, preview);
    return { outcome: 'updated', dealId: deal.id };
  };

  const open = await openDeal(ctx.db, action.pipelineId, lead.id);
  if (open) return update(open);

  const [closed] = await ctx.db
    .select({ closedAt: max(deals.closedAt) })
    .from(deals)
    .where(and(eq(deals.pipelineId, action.pipelineId), eq(deals.leadId, lead.id), isNotNull(deals.closedAt)));
  const lastSubmission = Math.max(-Infinity, ...history.submissions.map((s) => s.createdAt));
  if (closed?.closedAt != null && lastSubmission <= closed.closedAt) return { outcome: 'skipped_closed' };

  const ownerId = await ownerFor(q, rule, action);
  try {
    const deal = await createDeal(
      ctx,
      workspaceId,
      {
        pipelineId: action.pipelineId,
        stageId: action.stageId,
        ...preview,
        leadId: lead.id,
        ownerId,
        sourceFunnelId: rule.funnelId,
        attribution: attributionOf(lead.firstTouch ?? {}),
      },
      actor,
    );
    return { outcome: 'created', dealId: deal.id };
  } catch (err) {
    // Another run created the open deal meanwhile (the unique index held): update that one.
    if (err instanceof AppError && err.code === 'open_deal_exists') {
      const raced = await openDeal(ctx.db, action.pipelineId, lead.id);
      if (raced) return update(raced);
    }
    throw err;
  }
}

const ATTRIBUTION_KEYS = ['source', 'medium', 'campaign', 'term', 'content', 'referrer', 'landingPage'];

function attributionOf(touch: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(ATTRIBUTION_KEYS.flatMap((k) => (typeof touch[k] === 'string' && touch[k] ? [[k, touch[k]]] : [])));
}

/** The rule's owner: a named member (if still an owner / editor), the next in turn, or nobody. */
async function ownerFor(q: Qualifier, rule: RuleRow, action: RuleAction): Promise<string | null> {
  if (action.owner.kind === 'none') return null;
  q.members ??= await assignableMembers(q.ctx.db, q.workspaceId);
  if (action.owner.kind === 'member') return q.members.includes(action.owner.userId) ? action.owner.userId : null;
  if (q.members.length === 0) return null;
  // The cursor moves in the database, so concurrent runs hand out different turns.
  const [row] = await q.ctx.db
    .update(qualificationRules)
    .set({ assignCursor: sql`${qualificationRules.assignCursor} + 1` })
    .where(eq(qualificationRules.id, rule.id))
    .returning({ cursor: qualificationRules.assignCursor });
  return roundRobinPick(q.members, (row?.cursor ?? 1) - 1);
}

// ── Dry run ──────────────────────────────────────────────────────────────────

interface LeadTest {
  lead: { id: string; email: string; name: string | null; score: number };
  matched: boolean;
  conditions: ConditionResult[];
  deal: DealPreview | null;
}

/** Leads to try a rule on: the funnel's most recent ones (captured there, or with a submission there). */
const DRY_RUN_LEADS = 500;
const DRY_RUN_LISTED = 50;

/**
 * Which leads the rule would qualify, and the deal each would get, without writing anything.
 * Scores are recomputed from history in memory (the stored ones are not touched). With `leadId`,
 * that one lead with each condition's result.
 */
export async function testRule(db: Db, workspaceId: string, funnelId: string, ruleId: string, leadId?: string) {
  await requireFunnel(db, workspaceId, funnelId);
  const row = await requireRule(db, workspaceId, funnelId, ruleId);
  const rule = parseRule(row);
  if (!rule.conditions || !rule.action) throw new AppError(409, 'invalid_rule', 'The stored rule is not valid; edit and save it again.');
  const funnelsById = await loadWorkspaceFunnels(db, workspaceId);
  const funnel = funnelsById.get(funnelId)!;

  let candidates: LeadRow[];
  if (leadId) {
    candidates = await db
      .select(leadColumns)
      .from(leads)
      .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
    if (!candidates.length) throw notFound('Lead');
  } else {
    candidates = await db
      .select(leadColumns)
      .from(leads)
      .where(
        and(
          eq(leads.workspaceId, workspaceId),
          sql`(${leads.sourceFunnelId} = ${funnelId} or ${leads.id} in (select lead_id from form_submissions where workspace_id = ${workspaceId} and funnel_id = ${funnelId}))`,
        ),
      )
      .orderBy(desc(leads.createdAt), desc(leads.id))
      .limit(DRY_RUN_LEADS);
  }
  const histories = await loadLeadHistories(
    db,
    workspaceId,
    candidates.map((l) => l.id),
    [...funnelsById.keys()],
  );
  const tests: LeadTest[] = candidates.map((lead) => {
    const all = histories.get(lead.id) ?? [];
    const score = scoreFromHistories(all, funnelsById).score;
    const history = all.find((h) => h.funnelId === funnelId) ?? { funnelId, eventMask: 0, furthestStage: -1, submissions: [] };
    const facts = factsOf(lead, score);
    const { matched, results } = evaluateConditions(rule.conditions!, facts, history, funnel.stages);
    return {
      lead: { id: lead.id, email: lead.email, name: lead.name, score },
      matched: matched && all.some((h) => h.funnelId === funnelId),
      conditions: results,
      deal: matched ? previewDeal(rule.action!, lead, facts, history, funnel) : null,
    };
  });
  if (leadId) return tests[0]!;
  const matched = tests.filter((t) => t.matched);
  return {
    rule: ruleView(row),
    evaluated: tests.length,
    matched: matched.length,
    // Each listed lead carries its conditions' results: the "why" the settings screen shows beside it.
    leads: matched.slice(0, DRY_RUN_LISTED).map(({ lead, deal, conditions }) => ({ ...lead, deal, conditions })),
  };
}
