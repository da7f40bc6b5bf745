/**
 * Lead scores, stored on `leads.score` and always recomputed from history (domain/scoring.ts):
 * the lead's visitors' event masks per funnel plus its form submissions. Recomputing twice gives
 * the same number, so any caller may recompute at any time.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { funnelPages, funnels, leads } from '../../db/schema';
import type { Db } from '../../db/types';
import { notFound } from '../domain/errors';
import {
  DEFAULT_SCORING,
  scoreLead,
  scoringConfigOf,
  type CaptureBlockType,
  type FunnelHistory,
  type LeadScore,
  type ScoringConfig,
  type SubmissionHistory,
} from '../domain/scoring';
import type { StageOverrides } from '../domain/stages';
import type { ServiceCtx } from './context';
import type { WriteCtx } from './write-context';

/** Ids per `in (…)` list: well under SQLite's bound-parameter limit. */
const CHUNK = 400;

export function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface FunnelInfo {
  id: string;
  name: string;
  scoring: ScoringConfig;
  scoringIsDefault: boolean;
  stages: StageOverrides | undefined;
}

/** The workspace's funnels with their scoring configs and stage overrides (a workspace has few funnels). */
export async function loadWorkspaceFunnels(db: Db, workspaceId: string): Promise<Map<string, FunnelInfo>> {
  const rows = await db
    .select({ id: funnels.id, name: funnels.name, settings: funnels.settings })
    .from(funnels)
    .where(eq(funnels.workspaceId, workspaceId));
  return new Map(
    rows.map((f) => {
      const { config, isDefault } = scoringConfigOf(f.settings);
      const stages = f.settings?.stages;
      return [
        f.id,
        {
          id: f.id,
          name: f.name,
          scoring: config,
          scoringIsDefault: isDefault,
          stages: stages && typeof stages === 'object' ? stages : undefined,
        },
      ];
    }),
  );
}

const CAPTURE_TYPES = new Set<string>(['lead_form', 'quiz', 'lead_magnet', 'chat_capture']);

/** Block type of each (page version, block id) pair, read from the stored page content. */
async function blockTypes(db: Db, pageVersionIds: string[]): Promise<Map<string, CaptureBlockType>> {
  const types = new Map<string, CaptureBlockType>();
  for (const ids of chunks(pageVersionIds)) {
    const rows = await db.all<{ version_id: string; block_id: string; type: string }>(sql`
      select pv.id as version_id, json_extract(b.value, '$.id') as block_id, json_extract(b.value, '$.type') as type
      from page_versions pv, json_each(pv.content, '$.blocks') b
      where pv.id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`);
    for (const r of rows) if (CAPTURE_TYPES.has(r.type)) types.set(`${r.version_id}\u0000${r.block_id}`, r.type as CaptureBlockType);
  }
  return types;
}

const parseJson = (value: unknown): Record<string, unknown> => {
  if (value && typeof value === 'object') return value as Record<string, unknown>;
  if (typeof value !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/**
 * Each lead's history per funnel: the OR of its visitors' event masks and their furthest stage
 * (visitor_stages, looked up by primary key per funnel of the workspace), and its submissions.
 */
export async function loadLeadHistories(
  db: Db,
  workspaceId: string,
  leadIds: string[],
  funnelIds: string[],
): Promise<Map<string, FunnelHistory[]>> {
  const byLead = new Map<string, Map<string, FunnelHistory>>();
  const historyOf = (leadId: string, funnelId: string) => {
    let perFunnel = byLead.get(leadId);
    if (!perFunnel) byLead.set(leadId, (perFunnel = new Map()));
    let h = perFunnel.get(funnelId);
    if (!h) perFunnel.set(funnelId, (h = { funnelId, eventMask: 0, furthestStage: -1, submissions: [] }));
    return h;
  };
  const submissions: Array<SubmissionHistory & { leadId: string; funnelId: string; versionId: string | null; formId: string }> = [];
  for (const ids of chunks(leadIds)) {
    const idList = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    if (funnelIds.length) {
      const stages = await db.all<{ lead_id: string; funnel_id: string; mask: number; furthest: number }>(sql`
        select v.lead_id, vs.funnel_id, vs.event_mask as mask, vs.furthest_stage as furthest
        from visitors v indexed by visitors_lead_idx
        join visitor_stages vs on vs.funnel_id in (${sql.join(
          funnelIds.map((id) => sql`${id}`),
          sql`, `,
        )}) and vs.visitor_id = v.id
        where v.lead_id in (${idList}) and v.workspace_id = ${workspaceId}`);
      for (const r of stages) {
        const h = historyOf(r.lead_id, r.funnel_id);
        h.eventMask |= Number(r.mask);
        h.furthestStage = Math.max(h.furthestStage, Number(r.furthest));
      }
    }
    const rows = await db.all<{
      id: string;
      lead_id: string;
      funnel_id: string;
      page_version_id: string | null;
      form_id: string;
      created_at: number;
      data: string;
      quiz_outcome: string | null;
      quiz_score: number | null;
    }>(sql`
      select id, lead_id, funnel_id, page_version_id, form_id, created_at, data, quiz_outcome, quiz_score
      from form_submissions
      where lead_id in (${idList}) and workspace_id = ${workspaceId} and funnel_id is not null`);
    for (const r of rows) {
      submissions.push({
        id: r.id,
        leadId: r.lead_id,
        funnelId: r.funnel_id,
        versionId: r.page_version_id,
        formId: r.form_id,
        createdAt: Number(r.created_at),
        blockType: null,
        data: parseJson(r.data),
        quizOutcome: r.quiz_outcome,
        quizScore: r.quiz_score === null ? null : Number(r.quiz_score),
      });
    }
  }
  const types = await blockTypes(db, [...new Set(submissions.flatMap((s) => (s.versionId ? [s.versionId] : [])))]);
  for (const { leadId, funnelId, versionId, formId, ...s } of submissions) {
    s.blockType = versionId ? (types.get(`${versionId}\u0000${formId}`) ?? null) : null;
    historyOf(leadId, funnelId).submissions.push(s);
  }
  return new Map(
    [...byLead].map(([leadId, perFunnel]) => [leadId, [...perFunnel.values()].sort((a, b) => (a.funnelId < b.funnelId ? -1 : 1))]),
  );
}

/** Scores from history with each funnel's config; a funnel that is gone (deleted) scores nothing. */
export function scoreFromHistories(histories: FunnelHistory[], funnelsById: Map<string, FunnelInfo>): LeadScore {
  return scoreLead(
    histories.filter((h) => funnelsById.has(h.funnelId)),
    (id) => funnelsById.get(id)?.scoring ?? DEFAULT_SCORING,
  );
}

/**
 * Recomputes and stores the scores of these leads (of this workspace); rows are written only when
 * the score changed. Returns each lead's score and its items.
 */
async function recomputeLeadScores(ctx: WriteCtx, workspaceId: string, leadIds: string[]): Promise<Map<string, LeadScore>> {
  const funnelsById = await loadWorkspaceFunnels(ctx.db, workspaceId);
  const result = new Map<string, LeadScore>();
  for (const ids of chunks([...new Set(leadIds)])) {
    const stored = await ctx.db
      .select({ id: leads.id, score: leads.score })
      .from(leads)
      .where(and(eq(leads.workspaceId, workspaceId), inArray(leads.id, ids)));
    const histories = await loadLeadHistories(
      ctx.db,
      workspaceId,
      stored.map((l) => l.id),
      [...funnelsById.keys()],
    );
    const updates = [];
    for (const lead of stored) {
      const score = scoreFromHistories(histories.get(lead.id) ?? [], funnelsById);
      result.set(lead.id, score);
      if (score.score !== lead.score) updates.push(ctx.db.update(leads).set({ score: score.score }).where(eq(leads.id, lead.id)));
    }
    if (updates.length) await ctx.db.batch(updates as [(typeof updates)[number], ...typeof updates]);
  }
  return result;
}

/** One lead's score, recomputed from its history and stored; 404 for a lead of another workspace. */
export async function recomputeLeadScore(ctx: WriteCtx, workspaceId: string, leadId: string): Promise<LeadScore> {
  const score = (await recomputeLeadScores(ctx, workspaceId, [leadId])).get(leadId);
  if (!score) throw notFound('Lead');
  return score;
}

async function funnelOf(db: Db, workspaceId: string, funnelId: string) {
  const [funnel] = await db
    .select({ id: funnels.id, name: funnels.name, settings: funnels.settings })
    .from(funnels)
    .where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, workspaceId)));
  if (!funnel) throw notFound('Funnel');
  return funnel;
}

/** Quiz outcomes of the funnel's pages (drafts), so a config or rule can be written against them. */
async function funnelQuizOutcomes(db: Db, funnelId: string) {
  const rows = await db.all<{ page: string; block: string; id: string; title: string }>(sql`
    select p.slug as page, json_extract(b.value, '$.id') as block, json_extract(o.value, '$.id') as id, json_extract(o.value, '$.title') as title
    from ${funnelPages} p, json_each(p.draft, '$.blocks') b, json_each(b.value, '$.outcomes') o
    where p.funnel_id = ${funnelId} and json_extract(b.value, '$.type') = 'quiz'
    order by p.position, b.key, o.key`);
  return rows.map((r) => ({ page: r.page, quiz: r.block, id: r.id, title: r.title }));
}

export async function getScoring(db: Db, workspaceId: string, funnelId: string) {
  const funnel = await funnelOf(db, workspaceId, funnelId);
  const { config, isDefault } = scoringConfigOf(funnel.settings);
  return { funnelId, scoring: config, isDefault, defaultScoring: DEFAULT_SCORING, quizOutcomes: await funnelQuizOutcomes(db, funnelId) };
}

/**
 * Lead ids with history in the funnel: a submission there, or a visitor linked to the lead with
 * progress there. Known visitors are found by `visitors_lead_idx` (named: without statistics the
 * planner would rather walk every visitor of the workspace) and checked by the visitor_stages
 * primary key, so anonymous traffic (most of a funnel's visitors) is never read.
 */
async function leadsWithHistoryIn(db: Db, workspaceId: string, funnelId: string): Promise<string[]> {
  const rows = await db.all<{ lead_id: string }>(sql`
    select lead_id from form_submissions where workspace_id = ${workspaceId} and funnel_id = ${funnelId} and lead_id is not null
    union
    select v.lead_id from visitors v indexed by visitors_lead_idx
    where v.lead_id is not null and v.workspace_id = ${workspaceId}
      and exists (select 1 from visitor_stages vs where vs.funnel_id = ${funnelId} and vs.visitor_id = v.id)`);
  return rows.map((r) => r.lead_id);
}

/** Up to this many leads are rescored before the answer; more are rescored after it (see `saveScoring`). */
const RESCORE_INLINE_LIMIT = 2_000;

/**
 * Stores the funnel's scoring config (`settings.scoring`, merged into the settings in SQL so a
 * concurrent edit of other settings is kept) — or removes it with `null`, back to the default —
 * then rescores every lead with history in the funnel, so stored scores match the config: inline
 * for up to RESCORE_INLINE_LIMIT leads, else handed to `background` (after the response).
 */
export async function saveScoring(
  ctx: WriteCtx & Pick<ServiceCtx, 'background'>,
  workspaceId: string,
  funnelId: string,
  config: ScoringConfig | null,
) {
  await funnelOf(ctx.db, workspaceId, funnelId);
  const settings =
    config === null
      ? sql`json_remove(${funnels.settings}, '$.scoring')`
      : sql`json_set(${funnels.settings}, '$.scoring', json(${JSON.stringify(config)}))`;
  await ctx.db
    .update(funnels)
    .set({ settings, updatedAt: ctx.clock() })
    .where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, workspaceId)));
  const leadIds = await leadsWithHistoryIn(ctx.db, workspaceId, funnelId);
  const inline = leadIds.length <= RESCORE_INLINE_LIMIT;
  const rescore = recomputeLeadScores(ctx, workspaceId, leadIds);
  if (inline) await rescore;
  else ctx.background(rescore);
  return {
    ...(await getScoring(ctx.db, workspaceId, funnelId)),
    rescoredLeads: leadIds.length,
    rescoring: inline ? ('done' as const) : ('after_response' as const),
  };
}
