/**
 * The B2C automations of a pipeline: its stored configuration, and one run over the recent
 * activity of known visitors (visitors linked to a lead). The decisions are pure
 * (domain/automations.ts); this file reads what they need and writes what they decide.
 *
 * Cost of a run: events are read by funnel and time only (the one index on events), over
 * `lookbackMs(config)` — the longest delay plus CATCH_UP_MS — so it grows with recent traffic,
 * never with history. Post-purchase reads the purchase automation's moves into the won stage
 * within the same catch-up margin (deal history by pipeline and time).
 *
 * Each step is one atomic batch: the deal change, its history row, its webhook outbox rows and
 * the step's automation_runs key commit together or not at all. The deal's writes come from
 * deals.ts (`newDealRow` + `newDealWrites`, `stageChangeWrites`), the one place that knows how a
 * deal is created or changes stage; this file adds the run key to the batch. The key is a plain
 * insert (its primary key makes a second run's copy of the step fail and roll back whole), and a
 * move is a compare-and-set (`ifUnmoved`): the update only applies while the deal is still where
 * this run saw it, and the key row takes its workspace id from the deal *as moved* — if the update
 * matched nothing, that is NULL, the NOT NULL constraint fails and the batch rolls back. So
 * overlapping runs, or a person moving the deal mid-run, never produce a double move, a move back,
 * a history row or a webhook for a change that did not happen. (Claiming the key first and then
 * calling moveDeal would lose the step if the process died in between.)
 */
import { and, asc, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { automationRuns, dealStageHistory, deals, funnels, leads, type pipelineStages, pipelines } from '../../db/schema';
import { isUniqueViolation } from '../../db/errors';
import type { Db } from '../../db/types';
import {
  CATCH_UP_MS,
  DAY_MS,
  automationActor,
  automationConfigIssues,
  automationConfigSchema,
  automationPatchSchema,
  decide,
  defaultAutomationConfig,
  dueTriggers,
  isManualActor,
  lookbackMs,
  mergeAutomationPatch,
  postPurchaseDue,
  runKey,
  type Activity,
  type ActivityKind,
  type AutomationConfig,
  type AutomationName,
  type AutomationPatch,
  type OpenDeal,
  type StageRef,
  type Trigger,
} from '../domain/automations';
import { conflict, validationFailed } from '../domain/errors';
import { loadPipelineStages, newDealRow, newDealWrites, POSITION_STEP, stageChangeWrites, type Deal } from './deals';
import { commitWithEvents, type WriteCtx } from './write-context';
import { log } from '../logger';

type Stage = typeof pipelineStages.$inferSelect;
type Pipeline = typeof pipelines.$inferSelect;

export { automationPatchSchema };

/** The stored configuration, or null when none was saved (or it no longer parses). */
function storedAutomations(pipeline: Pick<Pipeline, 'automations'>): AutomationConfig | null {
  const raw = pipeline.automations;
  if (!raw || Object.keys(raw).length === 0) return null;
  const parsed = automationConfigSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export async function getAutomations(db: Db, workspaceId: string, pipelineId: string) {
  const { pipeline, stages } = await loadPipelineStages(db, workspaceId, pipelineId);
  // The latest steps the automations took in this pipeline, newest first.
  const recent = await db
    .select({
      dealId: dealStageHistory.dealId,
      dealName: deals.name,
      fromStageId: dealStageHistory.fromStageId,
      toStageId: dealStageHistory.toStageId,
      movedBy: dealStageHistory.movedBy,
      movedAt: dealStageHistory.movedAt,
    })
    .from(dealStageHistory)
    .innerJoin(deals, eq(deals.id, dealStageHistory.dealId))
    .where(and(eq(dealStageHistory.pipelineId, pipeline.id), sql`${dealStageHistory.movedBy} like 'automation:%'`))
    .orderBy(desc(dealStageHistory.movedAt), desc(dealStageHistory.id))
    .limit(20);
  const automations = storedAutomations(pipeline);
  // A stage removed or changed since the configuration was saved: runs skip that step until it is fixed.
  const problems = automations ? automationConfigIssues(automations, stages) : [];
  return { automations, problems, defaults: defaultAutomationConfig(pipeline, stages), recent };
}

/**
 * Saves a change: merged into the stored configuration, or into the pipeline's suggested one when
 * none is stored — so `{ "enabled": true }` turns the article's automations on in one call.
 */
export async function saveAutomations(
  ctx: WriteCtx,
  workspaceId: string,
  pipelineId: string,
  patch: AutomationPatch,
): Promise<AutomationConfig> {
  const { pipeline, stages } = await loadPipelineStages(ctx.db, workspaceId, pipelineId);
  const base = storedAutomations(pipeline) ?? defaultAutomationConfig(pipeline, stages);
  const parsed = automationConfigSchema.safeParse(mergeAutomationPatch(base, patch));
  if (!parsed.success) {
    throw validationFailed(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message })));
  }
  const config = parsed.data;
  const issues = automationConfigIssues(config, stages);
  if (config.funnelIds) {
    const own = await ctx.db
      .select({ id: funnels.id })
      .from(funnels)
      .where(and(eq(funnels.workspaceId, workspaceId), inArray(funnels.id, config.funnelIds)));
    const known = new Set(own.map((f) => f.id));
    config.funnelIds.forEach((id, i) => {
      if (!known.has(id)) issues.push({ path: `funnelIds.${i}`, message: 'No such funnel in this workspace.' });
    });
    config.funnelIds = [...new Set(config.funnelIds)];
  }
  if (issues.length) throw validationFailed(issues);
  await ctx.db
    .update(pipelines)
    .set({ automations: config, updatedAt: ctx.clock() })
    .where(and(eq(pipelines.id, pipeline.id), eq(pipelines.workspaceId, workspaceId)));
  return config;
}

/**
 * Turns the suggested automations on for a pipeline that has never had any configured (the demo
 * seed uses it); a configuration someone saved is left as it is.
 */
export async function enableDefaultAutomations(
  db: Db,
  workspaceId: string,
  pipelineId: string,
  funnelIds: string[] | null,
  now: number,
): Promise<boolean> {
  const { pipeline, stages } = await loadPipelineStages(db, workspaceId, pipelineId);
  if (Object.keys(pipeline.automations ?? {}).length) return false;
  const config: AutomationConfig = { ...defaultAutomationConfig(pipeline, stages), enabled: true, funnelIds };
  await db
    .update(pipelines)
    .set({ automations: config, updatedAt: now })
    .where(and(eq(pipelines.id, pipeline.id), sql`json_extract(${pipelines.automations}, '$.enabled') is null`));
  return true;
}

// ── A run ────────────────────────────────────────────────────────────────────

interface AutomationStep {
  automation: AutomationName;
  key: string;
  leadId: string | null;
  dealId: string;
  action: 'created' | 'moved';
  fromStageId: string | null;
  toStageId: string;
}

export interface AutomationRunReport {
  pipelineId: string;
  workspaceId: string;
  ranAt: number;
  /** Events read: occurred_at in [from, to]. */
  window: { from: number; to: number };
  steps: AutomationStep[];
  /** Due steps another run took first, or whose deal someone moved meanwhile: the next run looks again. */
  raced: number;
  /** Steps skipped because the stage they name is gone or changed kind (the API shows these too). */
  problems: string[];
  errors: string[];
}

/** The stored configuration of an enabled pipeline, checked against its current stages. */
export async function runPipelineAutomations(ctx: WriteCtx, workspaceId: string, pipelineId: string): Promise<AutomationRunReport> {
  const { pipeline, stages } = await loadPipelineStages(ctx.db, workspaceId, pipelineId);
  const config = storedAutomations(pipeline);
  if (!config?.enabled) throw conflict('Turn the automations of this pipeline on first.', 'automations_disabled');
  return new AutomationRun(ctx, pipeline, stages, config).run();
}

interface LeadInfo {
  id: string;
  name: string | null;
  email: string;
  sourceFunnelId: string | null;
  firstTouch: Record<string, string>;
}

interface OfferPrice {
  amountMinor: number;
  currency: string;
}

const ACTIVITY_OF: Record<string, ActivityKind> = {
  offer_view: 'browse',
  page_view: 'browse',
  checkout_start: 'checkout',
  purchase: 'purchase',
  unsubscribe: 'unsubscribe',
};
/** Page kinds whose page views count as viewing a product. */
const PRODUCT_PAGE_KINDS = ['offer', 'product'];
const CHUNK = 400;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

function parseJson(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string') return typeof text === 'object' && text ? (text as Record<string, unknown>) : {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function amountOf(props: Record<string, unknown>): OfferPrice | undefined {
  const amount = props.amountMinor;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) return undefined;
  const currency = typeof props.currency === 'string' && /^[A-Z]{3}$/.test(props.currency) ? props.currency : 'USD';
  return { amountMinor: amount, currency };
}

/** A raced step: another run wrote its key first, or the deal was not where this run saw it. */
function isRace(err: unknown): boolean {
  const text = `${String(err)} ${String((err as { cause?: unknown } | null)?.cause ?? '')}`;
  return isUniqueViolation(err) || /NOT NULL constraint failed: automation_runs/i.test(text);
}

class AutomationRun {
  private readonly now: number;
  private readonly report: AutomationRunReport;
  private readonly stageRefs: StageRef[];

  constructor(
    private readonly ctx: WriteCtx,
    private readonly pipeline: Pipeline,
    private readonly stages: Stage[],
    private readonly config: AutomationConfig,
  ) {
    // One time for the whole run: steps taken in it are stamped alike, so post-purchase "at once"
    // sees the purchase this run recorded.
    this.now = ctx.clock();
    this.stageRefs = stages.map((s) => ({ id: s.id, name: s.name, kind: s.kind, position: s.position }));
    this.report = {
      pipelineId: pipeline.id,
      workspaceId: pipeline.workspaceId,
      ranAt: this.now,
      window: { from: this.now - lookbackMs(config), to: this.now },
      steps: [],
      raced: 0,
      problems: [],
      errors: [],
    };
  }

  private get db() {
    return this.ctx.db;
  }

  private get workspaceId() {
    return this.pipeline.workspaceId;
  }

  async run(): Promise<AutomationRunReport> {
    // A step whose stage was deleted or changed kind since the configuration was saved is skipped.
    const issues = automationConfigIssues(this.config, this.stageRefs);
    this.report.problems = issues.map((issue) => `${issue.path}: ${issue.message}`);
    const broken = new Set(issues.map((i) => i.path));
    const { purchase } = this.config;
    const config: AutomationConfig = {
      ...this.config,
      browseAbandonment: broken.has('browseAbandonment.stageId') ? null : this.config.browseAbandonment,
      checkoutAbandonment: broken.has('checkoutAbandonment.stageId') ? null : this.config.checkoutAbandonment,
      // A broken post-purchase stage leaves purchases closing deals as won.
      purchase:
        !purchase || broken.has('purchase.wonStageId')
          ? null
          : broken.has('purchase.postPurchaseStageId')
            ? { ...purchase, postPurchaseStageId: null }
            : purchase,
      unsubscribe: broken.has('unsubscribe.lostStageId') ? null : this.config.unsubscribe,
    };
    await this.runTriggers(config);
    if (config.purchase?.postPurchaseStageId) await this.runPostPurchase(config);
    return this.report;
  }

  // ── Triggers from events ──

  private async funnelsInScope(config: AutomationConfig): Promise<Map<string, string>> {
    const rows = await this.db
      .select({ id: funnels.id, name: funnels.name })
      .from(funnels)
      .where(and(eq(funnels.workspaceId, this.workspaceId), config.funnelIds ? inArray(funnels.id, config.funnelIds) : undefined));
    return new Map(rows.map((f) => [f.id, f.name]));
  }

  /** Offer / product pages of those funnels, with the price of each offer block in their published version. */
  private async productPages(funnelIds: string[]): Promise<Map<string, { blocks: Map<string, OfferPrice>; first?: OfferPrice }>> {
    const pages = new Map<string, { blocks: Map<string, OfferPrice>; first?: OfferPrice }>();
    for (const ids of chunks(funnelIds)) {
      const rows = await this.db.all<{ id: string; content: string | null }>(sql`
        select p.id, v.content from funnel_pages p left join page_versions v on v.id = p.published_version_id
        where p.funnel_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}) and p.kind in (${sql.join(
          PRODUCT_PAGE_KINDS.map((k) => sql`${k}`),
          sql`, `,
        )})`);
      for (const row of rows) {
        const blocks = new Map<string, OfferPrice>();
        let first: OfferPrice | undefined;
        const content = parseJson(row.content);
        for (const block of Array.isArray(content.blocks) ? (content.blocks as Array<Record<string, unknown>>) : []) {
          if (block?.type !== 'offer') continue;
          const price = amountOf({ amountMinor: block.priceMinor, currency: block.currency });
          if (!price) continue;
          blocks.set(String(block.id), price);
          first ??= price;
        }
        pages.set(row.id, { blocks, first });
      }
    }
    return pages;
  }

  /**
   * Known visitors' offer views, product page views, checkouts, purchases and unsubscribes in the
   * window, by lead. Read through the (funnel_id, occurred_at) index: once for the funnels in
   * scope, once for the workspace's funnel-less events (server events for a lead without a funnel).
   */
  private async activitiesByLead(config: AutomationConfig, funnelIds: string[]) {
    const { from, to } = this.report.window;
    const pages = await this.productPages(funnelIds);
    const productPageIds = [...pages.keys()];
    type Row = { id: string; type: string; at: number; funnel_id: string | null; page_id: string | null; props: string; lead_id: string };
    const rows: Row[] = [];
    const pageViews = productPageIds.length
      ? sql`or (e.type = 'page_view' and e.page_id in (${sql.join(
          productPageIds.map((id) => sql`${id}`),
          sql`, `,
        )}))`
      : sql``;
    for (const ids of chunks(funnelIds)) {
      rows.push(
        ...(await this.db.all<Row>(sql`
          select e.id, e.type, e.occurred_at as at, e.funnel_id, e.page_id, e.props, v.lead_id
          from events e join visitors v on v.id = e.visitor_id
          where e.funnel_id in (${sql.join(
            ids.map((id) => sql`${id}`),
            sql`, `,
          )}) and e.occurred_at >= ${from} and e.occurred_at <= ${to}
            and e.workspace_id = ${this.workspaceId} and v.lead_id is not null
            and (e.type in ('offer_view', 'checkout_start', 'purchase', 'unsubscribe') ${pageViews})`)),
      );
    }
    const funnelless = await this.db.all<Row>(sql`
      select e.id, e.type, e.occurred_at as at, e.funnel_id, e.page_id, e.props, v.lead_id
      from events e join visitors v on v.id = e.visitor_id
      where e.funnel_id is null and e.occurred_at >= ${from} and e.occurred_at <= ${to}
        and e.workspace_id = ${this.workspaceId} and v.lead_id is not null
        and e.type in ('checkout_start', 'purchase', 'unsubscribe')`);

    const byLead = new Map<string, Activity[]>();
    const unscoped = new Set<string>();
    for (const row of [...rows, ...funnelless]) {
      const kind = ACTIVITY_OF[row.type];
      if (!kind) continue;
      const props = parseJson(row.props);
      const page = row.page_id ? pages.get(row.page_id) : undefined;
      const price = amountOf(props) ?? (page && ((typeof props.block === 'string' && page.blocks.get(props.block)) || page.first));
      const activity: Activity = { eventId: row.id, kind, at: Number(row.at), funnelId: row.funnel_id, ...(price ?? {}) };
      const list = byLead.get(row.lead_id) ?? [];
      list.push(activity);
      byLead.set(row.lead_id, list);
      if (row.funnel_id === null && config.funnelIds) unscoped.add(row.id);
    }
    return { byLead, unscoped };
  }

  private async runTriggers(config: AutomationConfig): Promise<void> {
    if (!config.browseAbandonment && !config.checkoutAbandonment && !config.purchase && !config.unsubscribe) return;
    const funnelNames = await this.funnelsInScope(config);
    const { byLead, unscoped } = await this.activitiesByLead(config, [...funnelNames.keys()]);
    if (byLead.size === 0) return;

    // A funnel-less event belongs to a pipeline limited to some funnels only through a deal the lead
    // already has in it, which is not known yet: first the steps due either way, minus those already
    // taken. Only leads left with a step not taken are read further (a step decided against — a
    // person's move, a customer's unsubscribe — is decided again each run while in the window).
    const keyed = (leadId: string, activities: Activity[]) =>
      dueTriggers(activities, config, this.now).map((t) => ({
        ...t,
        key: runKey(t.automation, this.pipeline.id, leadId, t.activity.eventId),
      }));
    const scoped = (activities: Activity[]) => activities.filter((a) => !unscoped.has(a.eventId));
    const candidates = new Map<string, string[]>();
    for (const [leadId, all] of byLead) {
      const keys = [...keyed(leadId, all), ...(unscoped.size ? keyed(leadId, scoped(all)) : [])].map((t) => t.key);
      if (keys.length) candidates.set(leadId, keys);
    }
    const taken = await this.existingKeys([...new Set([...candidates.values()].flat())]);
    const leadIds = [...candidates].filter(([, keys]) => keys.some((k) => !taken.has(k))).map(([id]) => id);
    if (leadIds.length === 0) return;

    const [leadRows, dealRows] = await Promise.all([this.loadLeads(leadIds), this.loadDeals(leadIds)]);
    const history = await this.loadHistory(dealRows.map((d) => d.id));
    const stageKind = new Map(this.stages.map((s) => [s.id, s.kind]));
    const openDeals = new Map<string, Deal>();
    const wonLeads = new Set<string>();
    for (const d of dealRows) {
      if (d.closedAt === null && d.leadId) openDeals.set(d.leadId, d);
      if (d.leadId && stageKind.get(d.stageId) === 'won') wonLeads.add(d.leadId);
    }
    const due = new Map(
      leadIds.map((leadId) => [leadId, keyed(leadId, openDeals.has(leadId) ? byLead.get(leadId)! : scoped(byLead.get(leadId)!))]),
    );
    const buyers = await this.buyers(
      [...due].filter(([, ts]) => ts.some((t) => t.automation === 'unsubscribe' && !taken.has(t.key))).map(([id]) => id),
    );

    for (const [leadId, triggers] of due) {
      const lead = leadRows.get(leadId);
      if (!lead) continue; // a visitor linked to a lead since deleted
      const purchased = wonLeads.has(leadId) || buyers.has(leadId) || byLead.get(leadId)!.some((a) => a.kind === 'purchase');
      let deal = openDeals.get(leadId) ?? null;
      for (const trigger of triggers) {
        if (taken.has(trigger.key)) continue;
        const open: OpenDeal | null = deal && {
          id: deal.id,
          stageId: deal.stageId,
          lastManualMoveAt: history.get(deal.id)?.lastManualAt ?? null,
        };
        const decision = decide(trigger, open, config, this.stageRefs, purchased);
        if (decision.kind === 'skip') continue;
        try {
          const next =
            decision.kind === 'create'
              ? await this.createStep(trigger, lead, decision.stageId, funnelNames)
              : await this.moveStep(trigger.key, trigger.automation, deal!, decision.stageId, trigger.activity, config);
          deal = next.closedAt === null ? next : null;
        } catch (err) {
          if (!isRace(err)) {
            this.report.errors.push(`${trigger.key}: ${err instanceof Error ? err.message : String(err)}`);
            log.error('Automation step failed', { key: trigger.key, err });
          } else this.report.raced++;
          break; // this lead's state is not what the run saw: the next run starts from the database
        }
      }
    }
  }

  private async loadLeads(leadIds: string[]): Promise<Map<string, LeadInfo>> {
    const out = new Map<string, LeadInfo>();
    for (const ids of chunks(leadIds)) {
      const rows = await this.db
        .select({ id: leads.id, name: leads.name, email: leads.email, sourceFunnelId: leads.sourceFunnelId, firstTouch: leads.firstTouch })
        .from(leads)
        .where(and(eq(leads.workspaceId, this.workspaceId), inArray(leads.id, ids)));
      for (const row of rows) out.set(row.id, row);
    }
    return out;
  }

  /** The leads' deals in this pipeline, open and closed (a won one means the lead has bought). */
  private async loadDeals(leadIds: string[]): Promise<Deal[]> {
    const out: Deal[] = [];
    for (const ids of chunks(leadIds)) {
      out.push(
        ...(await this.db
          .select()
          .from(deals)
          .where(and(eq(deals.workspaceId, this.workspaceId), inArray(deals.leadId, ids), eq(deals.pipelineId, this.pipeline.id)))),
      );
    }
    return out;
  }

  /** Per deal: the latest move a person made, and who made the latest move of all. */
  private async loadHistory(dealIds: string[]): Promise<Map<string, { lastManualAt: number | null; lastMovedBy: string | null }>> {
    const out = new Map<string, { lastManualAt: number | null; lastMovedBy: string | null }>();
    for (const ids of chunks(dealIds)) {
      const rows = await this.db
        .select({ dealId: dealStageHistory.dealId, movedBy: dealStageHistory.movedBy, movedAt: dealStageHistory.movedAt })
        .from(dealStageHistory)
        .where(inArray(dealStageHistory.dealId, ids))
        .orderBy(asc(dealStageHistory.movedAt), asc(dealStageHistory.id));
      for (const row of rows) {
        const entry = out.get(row.dealId) ?? { lastManualAt: null, lastMovedBy: null };
        if (isManualActor(row.movedBy)) entry.lastManualAt = row.movedAt;
        entry.lastMovedBy = row.movedBy;
        out.set(row.dealId, entry);
      }
    }
    return out;
  }

  private async existingKeys(keys: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const ids of chunks(keys)) {
      const rows = await this.db.select({ key: automationRuns.key }).from(automationRuns).where(inArray(automationRuns.key, ids));
      for (const row of rows) out.add(row.key);
    }
    return out;
  }

  /** Leads who bought in any of the workspace's funnels at any time (the stage engine keeps the first purchase). */
  private async buyers(leadIds: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const ids of chunks(leadIds)) {
      const rows = await this.db.all<{ lead_id: string }>(sql`
        select distinct v.lead_id from visitors v indexed by visitors_lead_idx
        join visitor_stages s on s.visitor_id = v.id and s.funnel_id in (select id from funnels where workspace_id = ${this.workspaceId})
        where v.lead_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}) and s.first_purchase_at is not null`);
      for (const row of rows) out.add(row.lead_id);
    }
    return out;
  }

  private stage(id: string): Stage {
    return this.stages.find((s) => s.id === id)!;
  }

  /** Bottom of a column, computed inside the batch so concurrent inserts do not read a stale maximum. */
  private bottomOf(stageId: string) {
    return sql`(select coalesce(max(d.position) + ${POSITION_STEP}, 0) from deals d where d.pipeline_id = ${this.pipeline.id} and d.stage_id = ${stageId})`;
  }

  private record(step: AutomationStep) {
    this.report.steps.push(step);
  }

  /** A new deal for the lead: "{funnel} - {lead}", valued at what the event carries (an order, a cart, the offer's price). */
  private async createStep(
    trigger: Trigger & { key: string },
    lead: LeadInfo,
    stageId: string,
    funnelNames: Map<string, string>,
  ): Promise<Deal> {
    const { activity } = trigger;
    const stage = this.stage(stageId);
    const now = this.now;
    const funnelId = activity.funnelId ?? lead.sourceFunnelId;
    const funnelName = funnelId ? (funnelNames.get(funnelId) ?? (await this.funnelName(funnelId))) : null;
    const person = lead.name?.trim() || lead.email;
    const attribution: Record<string, string> = {};
    for (const k of ['source', 'medium', 'campaign'] as const) {
      const v = lead.firstTouch?.[k];
      if (typeof v === 'string' && v) attribution[k] = v;
    }
    const actor = automationActor(trigger.automation);
    const deal = newDealRow(
      this.ctx.newId(),
      this.workspaceId,
      stage,
      {
        name: (funnelName ? `${funnelName} - ${person}` : person).slice(0, 200),
        valueMinor: activity.amountMinor ?? 0,
        currency: activity.currency ?? 'USD',
        leadId: lead.id,
        sourceFunnelId: funnelId,
        attribution,
      },
      {
        position: 0,
        lostReason: stage.kind === 'lost' ? (this.config.unsubscribe?.reason ?? 'unsubscribed') : null,
        leadSource: null,
        origin: 'automation',
        now,
      },
    );
    const writes = newDealWrites(this.ctx, deal, stage, actor, this.bottomOf(stage.id));
    // The run key is written with the deal: a second run's copy of this step fails the whole batch.
    await commitWithEvents(
      this.ctx,
      this.workspaceId,
      [
        ...writes.statements,
        this.db.insert(automationRuns).values({ key: trigger.key, workspaceId: this.workspaceId, dealId: deal.id, ranAt: now }),
      ],
      writes.events,
    );
    this.record({
      automation: trigger.automation,
      key: trigger.key,
      leadId: lead.id,
      dealId: deal.id,
      action: 'created',
      fromStageId: null,
      toStageId: stage.id,
    });
    return deal;
  }

  private async funnelName(funnelId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ name: funnels.name })
      .from(funnels)
      .where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, this.workspaceId)));
    return row?.name ?? null;
  }

  /**
   * Moves the deal (compare-and-set, see the file comment). A purchase sets the deal's value to the
   * order's amount; an abandonment fills in a value only when the deal has none yet.
   */
  private async moveStep(
    key: string,
    automation: AutomationName,
    deal: Deal,
    stageId: string,
    activity: Activity | null,
    config: AutomationConfig,
  ): Promise<Deal> {
    const from = this.stage(deal.stageId);
    const to = this.stage(stageId);
    // A deal this run already created or moved moves on a millisecond later, so its history stays in order.
    const now = Math.max(this.now, deal.stageEnteredAt + 1);
    const value =
      activity?.amountMinor !== undefined && (automation === 'purchase' || deal.valueMinor === 0)
        ? { valueMinor: activity.amountMinor, currency: activity.currency ?? deal.currency }
        : { valueMinor: deal.valueMinor, currency: deal.currency };
    const lostReason = to.kind === 'lost' ? (config.unsubscribe?.reason ?? 'unsubscribed') : null;
    const change = stageChangeWrites(this.ctx, deal, {
      from,
      to,
      position: this.bottomOf(to.id),
      lostReason,
      actor: automationActor(automation),
      now,
      value,
      ifUnmoved: true,
    });
    await commitWithEvents(
      this.ctx,
      this.workspaceId,
      [
        ...change.statements,
        // Takes its workspace id from the deal *as moved*: NULL, failing the batch, if the guarded update changed nothing.
        this.db.run(sql`
          insert into automation_runs (key, workspace_id, deal_id, ran_at)
          values (${key}, (select workspace_id from deals where id = ${deal.id} and stage_id = ${to.id} and stage_entered_at = ${now}), ${deal.id}, ${now})`),
      ],
      change.events,
    );
    this.record({ automation, key, leadId: deal.leadId, dealId: deal.id, action: 'moved', fromStageId: from.id, toStageId: to.id });
    return change.next;
  }

  // ── Post-purchase ──

  /** Deals the purchase automation won `postPurchaseAfterDays` ago (within the catch-up margin) → post-purchase. */
  private async runPostPurchase(config: AutomationConfig): Promise<void> {
    const purchase = config.purchase!;
    const dueBefore = this.now - purchase.postPurchaseAfterDays * DAY_MS;
    // Found through the history's (pipeline, moved_at) index: the purchase automation's moves into
    // the won stage in the window, whose deal is still there since that move.
    const candidates = await this.db
      .select({ deal: deals })
      .from(dealStageHistory)
      .innerJoin(
        deals,
        and(
          eq(deals.id, dealStageHistory.dealId),
          eq(deals.stageId, dealStageHistory.toStageId),
          eq(deals.stageEnteredAt, dealStageHistory.movedAt),
        ),
      )
      .where(
        and(
          eq(dealStageHistory.pipelineId, this.pipeline.id),
          gte(dealStageHistory.movedAt, dueBefore - CATCH_UP_MS),
          lte(dealStageHistory.movedAt, dueBefore),
          eq(dealStageHistory.toStageId, purchase.wonStageId),
          eq(dealStageHistory.movedBy, automationActor('purchase')),
        ),
      )
      .then((rows) => rows.map((r) => r.deal));
    if (candidates.length === 0) return;
    const history = await this.loadHistory(candidates.map((d) => d.id));
    const keyed = candidates
      .filter((d) =>
        postPurchaseDue(
          { stageId: d.stageId, stageEnteredAt: d.stageEnteredAt, lastMovedBy: history.get(d.id)?.lastMovedBy ?? null },
          config,
          this.now,
        ),
      )
      .map((d) => ({ deal: d, key: runKey('post_purchase', this.pipeline.id, d.id, d.stageEnteredAt) }));
    const taken = await this.existingKeys(keyed.map((k) => k.key));
    for (const { deal, key } of keyed) {
      if (taken.has(key)) continue;
      try {
        await this.moveStep(key, 'post_purchase', deal, purchase.postPurchaseStageId!, null, config);
      } catch (err) {
        if (!isRace(err)) {
          this.report.errors.push(`${key}: ${err instanceof Error ? err.message : String(err)}`);
          log.error('Automation step failed', { key, err });
        } else this.report.raced++;
      }
    }
  }
}

/** Pipelines whose automations are on, across every workspace (the scheduler's list). */
export async function enabledAutomationPipelines(db: Db): Promise<Array<{ id: string; workspaceId: string }>> {
  return db
    .select({ id: pipelines.id, workspaceId: pipelines.workspaceId })
    .from(pipelines)
    .where(sql`json_extract(${pipelines.automations}, '$.enabled') = 1`)
    .orderBy(asc(pipelines.id));
}
