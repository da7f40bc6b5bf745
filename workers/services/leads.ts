/** Leads and submissions as the team reads them: paged, searchable, exportable. */
import { and, count, desc, eq, gte, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { formSubmissions, funnels, leads } from '../../db/schema';
import type { Db } from '../../db/types';
import type { LeadFacets, LeadListItem, LeadListPage, LeadSort } from '../contract/leads';
import { base64url, fromBase64url } from '../domain/crypto';
import { FUNNEL_STAGES, STAGE_INDEX, type FunnelStage } from '../domain/stages';
import { decodeCursor, nextCursor, olderThan } from './newest-first';

/**
 * The SET list for a lead already stored under the address (`on conflict (workspace_id, email) do
 * update set …`), for captures and imports alike: new non-empty values win, earlier ones are kept,
 * fields merge, and the first source stays.
 */
export const LEAD_MERGE = `name = coalesce(excluded.name, leads.name),
  phone = coalesce(excluded.phone, leads.phone),
  company = coalesce(excluded.company, leads.company),
  fields = json_patch(leads.fields, excluded.fields),
  source = case when leads.source = '' then excluded.source else leads.source end,
  updated_at = excluded.updated_at`;

export interface PageQuery {
  q?: string;
  cursor?: string;
  limit: number;
}

/** The LIKE pattern (with `escape '\\'`) of text containing q, lower-cased; `%`, `_` and `\` in q match only themselves. */
export function containingPattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** `text like '%q%'` (case-insensitive for lower-cased text). */
function contains(text: SQL | typeof leads.email, q: string): SQL {
  return sql`${text} like ${containingPattern(q)} escape '\\'`;
}

function searchCondition(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  return or(
    contains(leads.email, q),
    contains(sql`lower(coalesce(${leads.name}, ''))`, q),
    contains(sql`lower(coalesce(${leads.company}, ''))`, q),
  );
}

/** The table's filters (every one optional, all of them together). */
export interface LeadFilter {
  /** Part of the email, name or company. */
  q?: string;
  /** The funnel the lead came from. */
  funnelId?: string;
  /** Furthest stage is exactly this one. */
  stage?: FunnelStage;
  /** Furthest stage is this one or a later one. */
  reached?: FunnelStage;
  qualified?: boolean;
  /** First-touch UTM source; '' for leads without one (direct). */
  source?: string;
  /** Created at or after (epoch ms). */
  createdFrom?: number;
  /** Created before (epoch ms). */
  createdBefore?: number;
}

export interface LeadListQuery extends LeadFilter {
  sort: LeadSort;
  dir: 'asc' | 'desc';
  cursor?: string;
  limit: number;
}

/** The value each sort orders by; `activity` is the expression `leads_ws_activity_idx` indexes. */
const SORT_KEYS: Record<LeadSort, SQL | SQLiteColumn> = {
  created: leads.createdAt,
  activity: sql`coalesce(${leads.lastActivityAt}, ${leads.createdAt})`,
  score: leads.score,
  email: leads.email,
};

function filterConditions(workspaceId: string, f: LeadFilter): SQL | undefined {
  return and(
    eq(leads.workspaceId, workspaceId),
    searchCondition(f.q),
    f.funnelId === undefined ? undefined : eq(leads.sourceFunnelId, f.funnelId),
    f.stage === undefined ? undefined : eq(leads.furthestStage, STAGE_INDEX[f.stage]),
    f.reached === undefined ? undefined : gte(leads.furthestStage, STAGE_INDEX[f.reached]),
    f.qualified === undefined ? undefined : f.qualified ? isNotNull(leads.qualifiedAt) : isNull(leads.qualifiedAt),
    f.source === undefined ? undefined : eq(leads.source, f.source),
    f.createdFrom === undefined ? undefined : gte(leads.createdAt, f.createdFrom),
    f.createdBefore === undefined ? undefined : lt(leads.createdAt, f.createdBefore),
  );
}

/**
 * A cursor is the last row's sort value and id, with the sort it belongs to: `<b64url JSON>`.
 * One made for another sort (or not by us) is ignored, which starts again at the first page.
 */
function encodeLeadCursor(sort: LeadSort, dir: 'asc' | 'desc', value: string | number, id: string): string {
  return base64url(new TextEncoder().encode(JSON.stringify([sort, dir, value, id])));
}

function decodeLeadCursor(cursor: string | undefined, sort: LeadSort, dir: 'asc' | 'desc'): { value: string | number; id: string } | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(fromBase64url(cursor)));
    if (!Array.isArray(parsed) || parsed.length !== 4) return null;
    const [s, d, value, id] = parsed as unknown[];
    const valueType = sort === 'email' ? 'string' : 'number';
    if (s !== sort || d !== dir || typeof value !== valueType || typeof id !== 'string') return null;
    return { value: value as string | number, id };
  } catch {
    return null;
  }
}

const listColumns = {
  id: leads.id,
  email: leads.email,
  name: leads.name,
  phone: leads.phone,
  company: leads.company,
  score: leads.score,
  quizOutcome: leads.quizOutcome,
  funnelId: leads.sourceFunnelId,
  funnelName: funnels.name,
  furthestStage: leads.furthestStage,
  qualifiedAt: leads.qualifiedAt,
  source: leads.source,
  firstTouch: leads.firstTouch,
  createdAt: leads.createdAt,
  updatedAt: leads.updatedAt,
  lastActivityAt: sql<number>`coalesce(${leads.lastActivityAt}, ${leads.createdAt})`,
};

function selectListRows(db: Db) {
  return db.select(listColumns).from(leads).leftJoin(funnels, eq(funnels.id, leads.sourceFunnelId));
}

type ListRow = Awaited<ReturnType<typeof selectListRows>>[number];

export const stageName = (index: number | null): FunnelStage | null => (index === null ? null : (FUNNEL_STAGES[index] ?? null));

function listItem(r: ListRow): LeadListItem {
  const touch = r.firstTouch ?? {};
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    phone: r.phone,
    company: r.company,
    score: r.score,
    quizOutcome: r.quizOutcome,
    funnel: r.funnelId && r.funnelName !== null ? { id: r.funnelId, name: r.funnelName } : null,
    furthestStage: stageName(r.furthestStage),
    qualifiedAt: r.qualifiedAt,
    source: r.source,
    medium: typeof touch.medium === 'string' ? touch.medium : null,
    campaign: typeof touch.campaign === 'string' ? touch.campaign : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    lastActivityAt: Number(r.lastActivityAt),
  };
}

/**
 * One page of the leads table: filtered, sorted by (sort value, id) and paged by keyset, so a page
 * deep in 100k leads costs what the first does. The first page also counts the matching leads.
 */
export async function listLeads(db: Db, workspaceId: string, query: LeadListQuery): Promise<LeadListPage> {
  const key = SORT_KEYS[query.sort];
  const desc = query.dir === 'desc';
  const cursor = decodeLeadCursor(query.cursor, query.sort, query.dir);
  const where = filterConditions(workspaceId, query);
  const after = cursor
    ? desc
      ? sql`(${key}, ${leads.id}) < (${cursor.value}, ${cursor.id})`
      : sql`(${key}, ${leads.id}) > (${cursor.value}, ${cursor.id})`
    : undefined;
  const direction = desc ? sql`desc` : sql`asc`;
  const [rows, total] = await Promise.all([
    selectListRows(db)
      .where(and(where, after))
      .orderBy(sql`${key} ${direction}`, sql`${leads.id} ${direction}`)
      .limit(query.limit + 1),
    cursor
      ? null
      : db
          .select({ n: count() })
          .from(leads)
          .where(where)
          .then(([r]) => r?.n ?? 0),
  ]);
  const page = rows.slice(0, query.limit).map(listItem);
  const last = page.at(-1);
  const lastValue = last && { created: last.createdAt, activity: last.lastActivityAt, score: last.score, email: last.email }[query.sort];
  return {
    leads: page,
    nextCursor:
      rows.length > query.limit && last && lastValue !== undefined ? encodeLeadCursor(query.sort, query.dir, lastValue, last.id) : null,
    total,
  };
}

/** Every lead the filters match, in the table's order, a page at a time (the CSV export streams these). */
export async function* allLeads(db: Db, workspaceId: string, query: Omit<LeadListQuery, 'cursor' | 'limit'>, pageSize = 1000) {
  let cursor: string | undefined;
  do {
    const page = await listLeads(db, workspaceId, { ...query, cursor, limit: pageSize });
    yield page.leads;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** The columns of `GET /api/leads/export.csv`: the table's, one row per lead. */
export const LEAD_TABLE_CSV_HEADER = [
  'id',
  'email',
  'name',
  'phone',
  'company',
  'funnel',
  'furthest_stage',
  'qualified_at',
  'score',
  'quiz_outcome',
  'source',
  'medium',
  'campaign',
  'created_at',
  'last_activity_at',
];

const isoOrEmpty = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

export function leadCsvRow(l: LeadListItem): unknown[] {
  return [
    l.id,
    l.email,
    l.name,
    l.phone,
    l.company,
    l.funnel?.name ?? '',
    l.furthestStage ?? '',
    isoOrEmpty(l.qualifiedAt),
    l.score,
    l.quizOutcome,
    l.source,
    l.medium,
    l.campaign,
    isoOrEmpty(l.createdAt),
    isoOrEmpty(l.lastActivityAt),
  ];
}

/**
 * What the table's filter menus offer, with counts: funnels, stages, sources, qualified or not.
 * Each is one grouped scan of `leads_ws_filter_idx`, which holds every column they read.
 */
export async function leadFacets(db: Db, workspaceId: string): Promise<LeadFacets> {
  const ws = eq(leads.workspaceId, workspaceId);
  const [byFunnel, byStage, bySource, byQualified] = await Promise.all([
    db.select({ id: leads.sourceFunnelId, n: count() }).from(leads).where(ws).groupBy(leads.sourceFunnelId),
    db.select({ stage: leads.furthestStage, n: count() }).from(leads).where(ws).groupBy(leads.furthestStage),
    db.select({ source: leads.source, n: count() }).from(leads).where(ws).groupBy(leads.source),
    db
      .select({ qualified: sql<number>`${leads.qualifiedAt} is not null`, n: count() })
      .from(leads)
      .where(ws)
      .groupBy(sql`${leads.qualifiedAt} is not null`),
  ]);
  const names = new Map(
    (await db.select({ id: funnels.id, name: funnels.name }).from(funnels).where(eq(funnels.workspaceId, workspaceId))).map((f) => [
      f.id,
      f.name,
    ]),
  );
  const byCount = <T extends { leads: number }>(a: T, b: T) => b.leads - a.leads;
  return {
    total: byQualified.reduce((sum, r) => sum + r.n, 0),
    funnels: byFunnel.map((r) => ({ id: r.id, name: r.id ? (names.get(r.id) ?? null) : null, leads: r.n })).sort(byCount),
    stages: byStage
      .map((r) => ({ stage: stageName(r.stage), leads: r.n }))
      .sort((a, b) => (a.stage === null ? -1 : b.stage === null ? 1 : STAGE_INDEX[a.stage] - STAGE_INDEX[b.stage])),
    sources: bySource.map((r) => ({ source: r.source, leads: r.n })).sort(byCount),
    qualified: {
      yes: byQualified.find((r) => Number(r.qualified) === 1)?.n ?? 0,
      no: byQualified.find((r) => Number(r.qualified) === 0)?.n ?? 0,
    },
  };
}

export async function listSubmissions(db: Db, workspaceId: string, query: PageQuery & { funnelId?: string }) {
  const cursor = decodeCursor(query.cursor);
  const rows = await db
    .select({ submission: formSubmissions, email: leads.email, name: leads.name })
    .from(formSubmissions)
    .leftJoin(leads, eq(leads.id, formSubmissions.leadId))
    .where(
      and(
        eq(formSubmissions.workspaceId, workspaceId),
        query.funnelId ? eq(formSubmissions.funnelId, query.funnelId) : undefined,
        query.q ? contains(leads.email, query.q) : undefined,
        olderThan(formSubmissions.createdAt, formSubmissions.id, cursor),
      ),
    )
    .orderBy(desc(formSubmissions.createdAt), desc(formSubmissions.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit).map((r) => ({ ...r.submission, leadEmail: r.email, leadName: r.name }));
  const last = page.at(-1);
  return { submissions: page, nextCursor: nextCursor(rows.length, query.limit, last) };
}

export const LEAD_CSV_HEADER = ['id', 'email', 'name', 'phone', 'company', 'quiz_outcome', 'score', 'fields', 'created_at', 'updated_at'];

export async function leadsForExport(db: Db, workspaceId: string, q?: string): Promise<unknown[][]> {
  const rows = await db
    .select()
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), searchCondition(q)))
    .orderBy(desc(leads.createdAt), desc(leads.id));
  return rows.map((l) => [
    l.id,
    l.email,
    l.name,
    l.phone,
    l.company,
    l.quizOutcome,
    l.score,
    l.fields,
    new Date(l.createdAt).toISOString(),
    new Date(l.updatedAt).toISOString(),
  ]);
}
