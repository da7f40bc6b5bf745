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

/** An FTS5 phrase: the text as is, quotes doubled — no operator or wildcard in `q` means anything. */
const ftsPhrase = (q: string) => `"${q.replace(/"/g, '""')}"`;

/** Email, name or company containing `q` by LIKE: checked row by row (a walk through dense matches, or text under three characters). */
function likeSearch(q: string): SQL {
  return or(
    contains(leads.email, q),
    contains(sql`lower(coalesce(${leads.name}, ''))`, q),
    contains(sql`lower(coalesce(${leads.company}, ''))`, q),
  )!;
}

/**
 * `leads_search` (migration 0011) is an FTS5 trigram index over email, name and company, kept in
 * step by triggers: text of three characters or more is found there (case-insensitively, `%` and
 * `_` meaning themselves) instead of by a LIKE over every lead. Shorter text has no trigram.
 */
const isTrigramSearch = (q: string | undefined): q is string => q !== undefined && [...q].length >= 3;

/** Email, name or company containing `q`, as one condition (the old export's search). */
function searchCondition(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  if (isTrigramSearch(q)) return sql`${leads}.rowid in (select rowid from leads_search where leads_search match ${ftsPhrase(q)})`;
  return likeSearch(q);
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

/** Every filter but the search, which each access path applies its own way. */
function filterConditions(workspaceId: string, f: LeadFilter): SQL | undefined {
  return and(
    eq(leads.workspaceId, workspaceId),
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
 * How a page reaches its rows. `sort`: walk the sort's index and keep the rows that pass the
 * filters (a search by LIKE) — quick while matches are common. `filter`: the few matches' rowids
 * from `leads_ws_filter_idx` alone (it holds every filtered column), then those rows sorted.
 * `search`: the trigram index's matches for `q`, looked up by rowid, filtered, sorted. SQLite keeps
 * no statistics here (no ANALYZE), so it cannot tell these apart: the first page's count decides,
 * and the cursor keeps the choice for the pages after it.
 */
type Access = 'sort' | 'filter' | 'search';
const ACCESS: Access[] = ['sort', 'filter', 'search'];
/**
 * Up to this many matches, reading them all is cheaper than walking the sort order: at 100k leads,
 * a walk for 51 rows among 1,000 matches probes ~5,000 rows; the filter index is a narrow scan.
 */
const FEW_MATCHES = 1_000;
/** A search's matches are each one rowid lookup; past this many, walking the sort order finds a page sooner. */
const FEW_SEARCH_MATCHES = 5_000;
/** A search counts its matches up to here (each is a lookup); beyond, `total` says "at least". */
export const SEARCH_COUNT_CAP = 10_000;

function chooseAccess(total: number, filter: LeadFilter): Access {
  if (isTrigramSearch(filter.q)) return total <= FEW_SEARCH_MATCHES ? 'search' : 'sort';
  return total <= FEW_MATCHES ? 'filter' : 'sort';
}

/**
 * A cursor is the last row's sort value and id, with the sort and access it belongs to (base64url
 * JSON). One made for another sort (or not by us) is ignored, which starts again at the first page.
 */
function encodeLeadCursor(sort: LeadSort, dir: 'asc' | 'desc', value: string | number, id: string, access: Access): string {
  return base64url(new TextEncoder().encode(JSON.stringify([sort, dir, value, id, access])));
}

function decodeLeadCursor(
  cursor: string | undefined,
  sort: LeadSort,
  dir: 'asc' | 'desc',
): { value: string | number; id: string; access: Access } | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(fromBase64url(cursor)));
    if (!Array.isArray(parsed) || parsed.length !== 5) return null;
    const [s, d, value, id, access] = parsed as unknown[];
    const valueType = sort === 'email' ? 'string' : 'number';
    if (s !== sort || d !== dir || typeof value !== valueType || typeof id !== 'string' || !ACCESS.includes(access as Access)) return null;
    return { value: value as string | number, id, access: access as Access };
  } catch {
    return null;
  }
}

interface ListRow {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  score: number;
  quiz_outcome: string | null;
  funnel_id: string | null;
  funnel_name: string | null;
  furthest_stage: number | null;
  qualified_at: number | null;
  source: string;
  first_touch: string | null;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
}

export const stageName = (index: number | null): FunnelStage | null => (index === null ? null : (FUNNEL_STAGES[index] ?? null));

function touchFields(stored: string | null): Record<string, unknown> {
  try {
    const parsed: unknown = stored ? JSON.parse(stored) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function listItem(r: ListRow): LeadListItem {
  const touch = touchFields(r.first_touch);
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    phone: r.phone,
    company: r.company,
    score: Number(r.score),
    quizOutcome: r.quiz_outcome,
    funnel: r.funnel_id && r.funnel_name !== null ? { id: r.funnel_id, name: r.funnel_name } : null,
    furthestStage: stageName(r.furthest_stage === null ? null : Number(r.furthest_stage)),
    qualifiedAt: r.qualified_at === null ? null : Number(r.qualified_at),
    source: r.source,
    medium: typeof touch.medium === 'string' ? touch.medium : null,
    campaign: typeof touch.campaign === 'string' ? touch.campaign : null,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    lastActivityAt: Number(r.last_activity_at),
  };
}

/** The trigram matches of `q` joined to their leads, the matches driving the loop (CROSS JOIN keeps that order). */
const SEARCH_JOIN = sql`leads_search cross join ${leads} on ${leads}.rowid = leads_search.rowid`;
const searchMatch = (q: string) => sql`leads_search match ${ftsPhrase(q)}`;

/**
 * The count of the filter's matches: from a covering index, or for a search from its trigram
 * matches, stopping at SEARCH_COUNT_CAP + 1.
 */
export function leadCountQuery(workspaceId: string, filter: LeadFilter): SQL {
  const where = filterConditions(workspaceId, filter);
  if (isTrigramSearch(filter.q))
    return sql`select count(*) as n from (select 1 from ${SEARCH_JOIN} where ${searchMatch(filter.q)} and ${where} limit ${SEARCH_COUNT_CAP + 1})`;
  return sql`select count(*) as n from ${leads} where ${and(where, filter.q ? likeSearch(filter.q) : undefined)}`;
}

/** The rowids of up to FEW_MATCHES + 1 matches of the filters (no search), from the filter index alone. */
export function leadFewMatchesQuery(workspaceId: string, filter: LeadFilter): SQL {
  return sql`select json_group_array(id) as ids from (
    select rowid as id from ${leads} indexed by leads_ws_filter_idx where ${filterConditions(workspaceId, filter)} limit ${FEW_MATCHES + 1})`;
}

/** The page query of `listLeads` for one access path (the bench checks each one's plan). */
export function leadPageQuery(
  workspaceId: string,
  query: LeadListQuery,
  access: Access,
  after?: { value: string | number; id: string },
  /** The filter's matches by rowid, when the count just read them (`filter` access on a first page). */
  matches?: number[],
): SQL {
  const key = SORT_KEYS[query.sort];
  const desc = query.dir === 'desc';
  // After (value, id): a row-value comparison seeks straight there in a (key, id) index; SQLite
  // does not seek an expression index (`activity`) that way, so there a range on the key comes
  // first and the ties at the value are sorted out by id.
  const [before, beyond] = desc ? [sql`<`, sql`<=`] : [sql`>`, sql`>=`];
  const keyset = !after
    ? undefined
    : query.sort === 'activity'
      ? sql`${key} ${beyond} ${after.value} and (${key} ${before} ${after.value} or ${leads.id} ${before} ${after.id})`
      : sql`(${key}, ${leads.id}) ${before} (${after.value}, ${after.id})`;
  const filters = filterConditions(workspaceId, query);
  let from: SQL;
  let where: SQL | undefined;
  if (access === 'search' && isTrigramSearch(query.q)) {
    from = SEARCH_JOIN;
    where = and(searchMatch(query.q), filters, keyset);
  } else if (access === 'filter') {
    // The inner `leads` is its own scope: the filters there read the covering index only.
    from = sql`${leads} not indexed`;
    where = and(
      matches
        ? sql`${leads}.rowid in (select value from json_each(${JSON.stringify(matches)}))`
        : sql`${leads}.rowid in (select rowid from ${leads} indexed by leads_ws_filter_idx where ${filters})`,
      query.q ? likeSearch(query.q) : undefined,
      keyset,
    );
  } else {
    from = sql`${leads}`;
    where = and(filters, query.q ? likeSearch(query.q) : undefined, keyset);
  }
  const direction = sql.raw(desc ? 'desc' : 'asc');
  return sql`
    select ${leads.id} as id, ${leads.email} as email, ${leads.name} as name, ${leads.phone} as phone, ${leads.company} as company,
      ${leads.score} as score, ${leads.quizOutcome} as quiz_outcome, ${leads.sourceFunnelId} as funnel_id, ${funnels.name} as funnel_name,
      ${leads.furthestStage} as furthest_stage, ${leads.qualifiedAt} as qualified_at, ${leads.source} as source,
      ${leads.firstTouch} as first_touch, ${leads.createdAt} as created_at, ${leads.updatedAt} as updated_at,
      coalesce(${leads.lastActivityAt}, ${leads.createdAt}) as last_activity_at
    from ${from} left join ${funnels} on ${funnels.id} = ${leads.sourceFunnelId}
    where ${where}
    order by ${key} ${direction}, ${leads.id} ${direction}
    limit ${query.limit + 1}`;
}

/**
 * One page of the leads table: filtered, sorted by (sort value, id) and paged by keyset, so a page
 * deep in 100k leads costs what the first does. The first page counts the matches first (from an
 * index), and that count picks how the page is read (`Access`).
 */
export async function listLeads(db: Db, workspaceId: string, query: LeadListQuery): Promise<LeadListPage> {
  const cursor = decodeLeadCursor(query.cursor, query.sort, query.dir);
  let total: number | null = null;
  let access: Access;
  let matches: number[] | undefined;
  if (cursor) access = cursor.access;
  else {
    // Few matches are read by rowid from the filter index, in one pass that also counts them.
    if (!query.q) {
      const [row] = await db.all<{ ids: string }>(leadFewMatchesQuery(workspaceId, query));
      const ids = JSON.parse(row?.ids ?? '[]') as number[];
      if (ids.length <= FEW_MATCHES) [matches, total] = [ids, ids.length];
    }
    if (total === null) {
      const [row] = await db.all<{ n: number }>(leadCountQuery(workspaceId, query));
      total = Number(row?.n ?? 0);
    }
    access = chooseAccess(total, query);
  }
  const rows = total === 0 ? [] : await db.all<ListRow>(leadPageQuery(workspaceId, query, access, cursor ?? undefined, matches));
  const page = rows.slice(0, query.limit).map(listItem);
  const last = page.at(-1);
  const lastValue = last && { created: last.createdAt, activity: last.lastActivityAt, score: last.score, email: last.email }[query.sort];
  const capped = total !== null && isTrigramSearch(query.q) && total > SEARCH_COUNT_CAP;
  return {
    leads: page,
    nextCursor:
      rows.length > query.limit && last && lastValue !== undefined
        ? encodeLeadCursor(query.sort, query.dir, lastValue, last.id, access)
        : null,
    total: capped ? SEARCH_COUNT_CAP : total,
    totalIsAtLeast: capped,
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
