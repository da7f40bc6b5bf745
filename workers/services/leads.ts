/** Leads and submissions as the team reads them: paged, searchable, exportable. */
import { and, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import { consentRecords, formSubmissions, leads } from '../../db/schema';
import type { Db } from '../../db/types';
import { notFound } from '../domain/errors';
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

export async function listLeads(db: Db, workspaceId: string, query: PageQuery) {
  const cursor = decodeCursor(query.cursor);
  const rows = await db
    .select()
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), searchCondition(query.q), olderThan(leads.createdAt, leads.id, cursor)))
    .orderBy(desc(leads.createdAt), desc(leads.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { leads: page, nextCursor: nextCursor(rows.length, query.limit, last) };
}

export async function getLead(db: Db, workspaceId: string, leadId: string) {
  const [lead] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
  if (!lead) throw notFound('Lead');
  const [submissions, consents] = await Promise.all([
    db
      .select()
      .from(formSubmissions)
      .where(and(eq(formSubmissions.leadId, leadId), eq(formSubmissions.workspaceId, workspaceId)))
      .orderBy(desc(formSubmissions.createdAt)),
    db
      .select()
      .from(consentRecords)
      .where(and(eq(consentRecords.leadId, leadId), eq(consentRecords.workspaceId, workspaceId)))
      .orderBy(desc(consentRecords.grantedAt)),
  ]);
  return { ...lead, submissions, consents };
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
