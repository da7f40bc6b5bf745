/**
 * One lead as the team reads it: contact fields, the score and the points behind it, first and last
 * touch, progress per funnel, the journey (every event of the lead's visitors, with the stage each
 * counts for), submissions with their quiz answers spelled out, consents with their exact wording,
 * and the deals made from the lead. Everything is read scoped to the workspace.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { consentRecords, deals, formSubmissions, funnelPages, leads, pageVersions, pipelineStages, pipelines } from '../../db/schema';
import type { Db } from '../../db/types';
import type {
  JourneyEvent,
  JourneyPage,
  LeadConsent,
  LeadDeal,
  LeadDetail,
  LeadFunnelProgress,
  LeadSubmission,
  LeadTouch,
  QuizAnswerView,
  ScoreLine,
} from '../contract/leads';
import { base64url, fromBase64url } from '../domain/crypto';
import { notFound } from '../domain/errors';
import { EVENT_TYPES, FUNNEL_STAGES, stageForEvent, type EventType, type FunnelStage } from '../domain/stages';
import { stageName } from './leads';
import { chunks, loadLeadHistories, loadWorkspaceFunnels, scoreFromHistories, type FunnelInfo } from './scoring';

/** Events in the detail's first look at the journey; older ones page in through `leadJourney`. */
export const JOURNEY_PAGE = 100;

const TOUCH_KEYS = ['source', 'medium', 'campaign', 'term', 'content', 'referrer', 'landingPage'] as const;

function touchOf(stored: unknown): LeadTouch {
  if (!stored || typeof stored !== 'object') return {};
  const record = stored as Record<string, unknown>;
  const touch: LeadTouch = {};
  for (const key of TOUCH_KEYS) if (typeof record[key] === 'string') touch[key] = record[key];
  if (typeof record.at === 'number') touch.at = record.at;
  return touch;
}

const parseJson = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
};

async function requireLead(db: Db, workspaceId: string, leadId: string) {
  const [lead] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
  if (!lead) throw notFound('Lead');
  return lead;
}

/** The lead's visitors (the ones linked when it gave its email, and any seen since). */
async function leadVisitorIds(db: Db, workspaceId: string, leadId: string): Promise<string[]> {
  const rows = await db.all<{ id: string }>(
    sql`select id from visitors indexed by visitors_lead_idx where lead_id = ${leadId} and workspace_id = ${workspaceId}`,
  );
  return rows.map((r) => r.id);
}

interface PageRef {
  id: string;
  slug: string;
  name: string;
  funnelId: string;
}

async function pagesById(db: Db, workspaceId: string, ids: string[]): Promise<Map<string, PageRef>> {
  const pages = new Map<string, PageRef>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db
      .select({ id: funnelPages.id, slug: funnelPages.slug, name: funnelPages.name, funnelId: funnelPages.funnelId })
      .from(funnelPages)
      .where(and(eq(funnelPages.workspaceId, workspaceId), inArray(funnelPages.id, part)));
    for (const r of rows) pages.set(r.id, r);
  }
  return pages;
}

// ── Journey ──────────────────────────────────────────────────────────────────

function encodeJourneyCursor(at: number, id: string): string {
  return base64url(new TextEncoder().encode(JSON.stringify([at, id])));
}

function decodeJourneyCursor(cursor: string | undefined): { at: number; id: string } | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(fromBase64url(cursor)));
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'number' || typeof parsed[1] !== 'string') return null;
    return { at: parsed[0], id: parsed[1] };
  } catch {
    return null;
  }
}

const isEventType = (type: string): type is EventType => (EVENT_TYPES as readonly string[]).includes(type);

async function journeyPage(
  db: Db,
  workspaceId: string,
  visitorIds: string[],
  funnelsById: Map<string, FunnelInfo>,
  query: { before?: string; limit: number },
): Promise<JourneyPage> {
  if (visitorIds.length === 0) return { events: [], olderCursor: null };
  const before = decodeJourneyCursor(query.before);
  // Newest first from the visitor index, the page turned around to read oldest first.
  const rows = await db.all<{
    id: string;
    type: string;
    occurred_at: number;
    visitor_id: string;
    funnel_id: string | null;
    page_id: string | null;
    props: string;
  }>(sql`
    select id, type, occurred_at, visitor_id, funnel_id, page_id, props from events indexed by events_visitor_time_idx
    where visitor_id in (${sql.join(
      visitorIds.map((id) => sql`${id}`),
      sql`, `,
    )}) and workspace_id = ${workspaceId}
    ${before ? sql`and (occurred_at, id) < (${before.at}, ${before.id})` : sql``}
    order by occurred_at desc, id desc limit ${query.limit + 1}`);
  const page = rows.slice(0, query.limit).reverse();
  const pages = await pagesById(
    db,
    workspaceId,
    page.flatMap((r) => (r.page_id ? [r.page_id] : [])),
  );
  const events: JourneyEvent[] = page.map((r) => {
    const funnel = r.funnel_id ? funnelsById.get(r.funnel_id) : undefined;
    const pageRef = r.page_id ? pages.get(r.page_id) : undefined;
    const props = (parseJson(r.props) ?? {}) as Record<string, unknown>;
    const { touch, ...rest } = props;
    const stage = isEventType(r.type) && funnel ? stageForEvent(r.type, pageRef?.slug ?? null, funnel.stages) : null;
    return {
      id: r.id,
      type: r.type as EventType,
      occurredAt: Number(r.occurred_at),
      visitorId: r.visitor_id,
      funnel: funnel ? { id: funnel.id, name: funnel.name } : null,
      page: pageRef ? { id: pageRef.id, slug: pageRef.slug, name: pageRef.name } : null,
      stage: stage === null ? null : FUNNEL_STAGES[stage]!,
      touch: touch ? touchOf(touch) : null,
      props: rest,
    };
  });
  const oldest = page[0];
  return { events, olderCursor: rows.length > query.limit && oldest ? encodeJourneyCursor(Number(oldest.occurred_at), oldest.id) : null };
}

/** A page of the lead's journey older than `before` (a previous page's `olderCursor`), oldest first. */
export async function leadJourney(
  db: Db,
  workspaceId: string,
  leadId: string,
  query: { before?: string; limit: number },
): Promise<JourneyPage> {
  await requireLead(db, workspaceId, leadId);
  const [visitorIds, funnelsById] = await Promise.all([leadVisitorIds(db, workspaceId, leadId), loadWorkspaceFunnels(db, workspaceId)]);
  return journeyPage(db, workspaceId, visitorIds, funnelsById, query);
}

// ── Funnel progress ──────────────────────────────────────────────────────────

async function funnelProgress(db: Db, visitorIds: string[], funnelsById: Map<string, FunnelInfo>): Promise<LeadFunnelProgress[]> {
  if (visitorIds.length === 0 || funnelsById.size === 0) return [];
  const columns = FUNNEL_STAGES.map((s) => `${s}_at`);
  const rows = await db.all<Record<string, number | string | null>>(sql`
    select funnel_id, furthest_stage, ${sql.raw(columns.join(', '))} from visitor_stages
    where funnel_id in (${sql.join(
      [...funnelsById.keys()].map((id) => sql`${id}`),
      sql`, `,
    )}) and visitor_id in (${sql.join(
      visitorIds.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  const byFunnel = new Map<string, LeadFunnelProgress & { furthest: number }>();
  for (const r of rows) {
    const funnel = funnelsById.get(String(r.funnel_id))!;
    let progress = byFunnel.get(funnel.id);
    if (!progress) {
      progress = {
        funnelId: funnel.id,
        funnelName: funnel.name,
        furthestStage: null,
        furthest: -1,
        reachedAt: Object.fromEntries(FUNNEL_STAGES.map((s) => [s, null])) as Record<FunnelStage, number | null>,
      };
      byFunnel.set(funnel.id, progress);
    }
    progress.furthest = Math.max(progress.furthest, Number(r.furthest_stage));
    FUNNEL_STAGES.forEach((stage, i) => {
      const at = r[columns[i]!];
      if (at !== null && at !== undefined) {
        const current = progress.reachedAt[stage];
        progress.reachedAt[stage] = current === null ? Number(at) : Math.min(current, Number(at));
      }
    });
  }
  return [...byFunnel.values()]
    .map(({ furthest, ...p }) => ({ ...p, furthestStage: stageName(furthest < 0 ? null : furthest) }))
    .sort((a, b) => a.funnelName.localeCompare(b.funnelName));
}

// ── Submissions ──────────────────────────────────────────────────────────────

interface QuizQuestionText {
  text?: unknown;
  answers?: Array<{ id?: unknown; label?: unknown; points?: unknown }>;
}

/** The quiz blocks' questions and outcomes in each page version, to spell out the stored answer ids. */
async function quizzesOf(db: Db, versionIds: string[]) {
  const quizzes = new Map<string, { questions: Map<string, QuizQuestionText>; outcomes: Map<string, string> }>();
  for (const part of chunks([...new Set(versionIds)])) {
    const rows = await db.all<{ version_id: string; block_id: string; block: string }>(sql`
      select pv.id as version_id, json_extract(b.value, '$.id') as block_id, b.value as block
      from ${pageVersions} pv, json_each(pv.content, '$.blocks') b
      where pv.id in (${sql.join(
        part.map((id) => sql`${id}`),
        sql`, `,
      )}) and json_extract(b.value, '$.type') = 'quiz'`);
    for (const r of rows) {
      const block = parseJson(r.block) as {
        questions?: Array<QuizQuestionText & { id?: unknown }>;
        outcomes?: Array<{ id?: unknown; title?: unknown }>;
      };
      quizzes.set(`${r.version_id}\u0000${r.block_id}`, {
        questions: new Map((block.questions ?? []).map((q) => [String(q.id), q])),
        outcomes: new Map((block.outcomes ?? []).map((o) => [String(o.id), String(o.title)])),
      });
    }
  }
  return quizzes;
}

async function submissionsOf(db: Db, workspaceId: string, leadId: string, funnelsById: Map<string, FunnelInfo>): Promise<LeadSubmission[]> {
  const rows = await db
    .select()
    .from(formSubmissions)
    .where(and(eq(formSubmissions.leadId, leadId), eq(formSubmissions.workspaceId, workspaceId)))
    .orderBy(desc(formSubmissions.createdAt), desc(formSubmissions.id));
  const [pages, quizzes] = await Promise.all([
    pagesById(
      db,
      workspaceId,
      rows.flatMap((r) => (r.pageId ? [r.pageId] : [])),
    ),
    quizzesOf(
      db,
      rows.flatMap((r) => (r.pageVersionId && r.quizAnswers ? [r.pageVersionId] : [])),
    ),
  ]);
  return rows.map((r) => {
    const funnel = r.funnelId ? funnelsById.get(r.funnelId) : undefined;
    const page = r.pageId ? pages.get(r.pageId) : undefined;
    const quizText = r.pageVersionId ? quizzes.get(`${r.pageVersionId}\u0000${r.formId}`) : undefined;
    const stored = r.quizAnswers && typeof r.quizAnswers === 'object' ? (r.quizAnswers as Record<string, unknown>) : null;
    const answers: QuizAnswerView[] = stored
      ? Object.entries(stored).map(([questionId, ids]) => {
          const question = quizText?.questions.get(questionId);
          return {
            questionId,
            question: typeof question?.text === 'string' ? question.text : null,
            answers: (Array.isArray(ids) ? ids : []).map((id) => {
              const answer = question?.answers?.find((a) => a.id === id);
              return {
                id: String(id),
                label: typeof answer?.label === 'string' ? answer.label : null,
                points: typeof answer?.points === 'number' ? answer.points : null,
              };
            }),
          };
        })
      : [];
    return {
      id: r.id,
      funnel: funnel ? { id: funnel.id, name: funnel.name } : null,
      page: page ? { id: page.id, slug: page.slug, name: page.name } : null,
      pageVersionId: r.pageVersionId,
      formId: r.formId,
      data: r.data,
      quiz:
        stored || r.quizScore !== null || r.quizOutcome !== null
          ? {
              score: r.quizScore,
              outcome: r.quizOutcome ? { id: r.quizOutcome, title: quizText?.outcomes.get(r.quizOutcome) ?? null } : null,
              answers,
              // Written by capture as a list of validated tags (absent when the answers had none).
              tags: (r.data.quizTags as string[] | undefined) ?? [],
            }
          : null,
      createdAt: r.createdAt,
    };
  });
}

// ── Deals ────────────────────────────────────────────────────────────────────

async function dealsOf(db: Db, workspaceId: string, leadId: string): Promise<LeadDeal[]> {
  const rows = await db
    .select({
      deal: deals,
      pipelineName: pipelines.name,
      stageName: pipelineStages.name,
      stageKind: pipelineStages.kind,
    })
    .from(deals)
    .innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
    .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
    .where(and(eq(deals.workspaceId, workspaceId), eq(deals.leadId, leadId)))
    .orderBy(desc(deals.createdAt), asc(deals.id));
  return rows.map((r) => ({
    id: r.deal.id,
    name: r.deal.name,
    pipeline: { id: r.deal.pipelineId, name: r.pipelineName },
    stage: { id: r.deal.stageId, name: r.stageName, kind: r.stageKind },
    status: r.stageKind,
    valueMinor: r.deal.valueMinor,
    currency: r.deal.currency,
    lostReason: r.deal.lostReason,
    createdAt: r.deal.createdAt,
    closedAt: r.deal.closedAt,
  }));
}

// ── The lead ─────────────────────────────────────────────────────────────────

export async function getLeadDetail(db: Db, workspaceId: string, leadId: string): Promise<LeadDetail> {
  const lead = await requireLead(db, workspaceId, leadId);
  const [funnelsById, visitorIds] = await Promise.all([loadWorkspaceFunnels(db, workspaceId), leadVisitorIds(db, workspaceId, leadId)]);
  const [histories, funnelsProgress, journey, submissions, consents, leadDeals] = await Promise.all([
    loadLeadHistories(db, workspaceId, [leadId], [...funnelsById.keys()]),
    funnelProgress(db, visitorIds, funnelsById),
    journeyPage(db, workspaceId, visitorIds, funnelsById, { limit: JOURNEY_PAGE }),
    submissionsOf(db, workspaceId, leadId, funnelsById),
    db
      .select()
      .from(consentRecords)
      .where(and(eq(consentRecords.leadId, leadId), eq(consentRecords.workspaceId, workspaceId)))
      .orderBy(desc(consentRecords.grantedAt)),
    dealsOf(db, workspaceId, leadId),
  ]);
  const scored = scoreFromHistories(histories.get(leadId) ?? [], funnelsById);
  const lines: ScoreLine[] = scored.items.map((item) => ({ ...item, funnelName: funnelsById.get(item.funnelId)?.name ?? '' }));
  const funnel = lead.sourceFunnelId ? funnelsById.get(lead.sourceFunnelId) : undefined;
  return {
    id: lead.id,
    erasedAt: lead.erasedAt,
    email: lead.email,
    name: lead.name,
    phone: lead.phone,
    company: lead.company,
    fields: lead.fields,
    quizOutcome: lead.quizOutcome,
    source: lead.source,
    funnel: funnel ? { id: funnel.id, name: funnel.name } : null,
    furthestStage: stageName(lead.furthestStage),
    qualifiedAt: lead.qualifiedAt,
    createdAt: lead.createdAt,
    updatedAt: lead.updatedAt,
    lastActivityAt: lead.lastActivityAt ?? lead.createdAt,
    score: { total: lead.score, lines },
    firstTouch: touchOf(lead.firstTouch),
    lastTouch: touchOf(lead.lastTouch),
    funnels: funnelsProgress,
    journey,
    submissions,
    consents: consents.map((c): LeadConsent => ({
      id: c.id,
      wording: c.wording,
      pageVersionId: c.pageVersionId,
      ipHash: c.ipHash,
      grantedAt: c.grantedAt,
      wordingSha256: c.wordingSha256,
    })),
    deals: leadDeals,
  };
}
