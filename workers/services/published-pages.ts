/** Finding what the public sees at `/p/<funnel>/<page>`: one query on a cache miss. */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/types';
import type { WorkspaceSettings } from '../../db/schema';
import type { PageContent } from '../domain/blocks';
import type { FunnelPageRef } from '../domain/funnel-links';

export interface PublishedPage {
  workspaceId: string;
  funnelId: string;
  funnelSlug: string;
  pageId: string;
  pageSlug: string;
  /** null when the page exists but is not published now. */
  pageVersionId: string | null;
  html: string | null;
  content: PageContent | null;
  /** True when the page was published before and then taken down (410 rather than 404). */
  wasPublished: boolean;
  /** The workspace's tracking settings (cookieless mode, privacy signals), read with the page. */
  settings: WorkspaceSettings;
  /** The Turnstile site key when the funnel has the check on (services/turnstile.ts), else null. */
  turnstileSiteKey: string | null;
}

/**
 * The page at `pageSlug` of the funnel (or its first page for ''), with its published version, in
 * a single statement — the budget for a cache miss is one database read.
 */
export async function findPublishedPage(db: Db, funnelSlug: string, pageSlug: string): Promise<PublishedPage | null> {
  const rows = await db.all<{
    workspace_id: string;
    funnel_id: string;
    funnel_slug: string;
    page_id: string;
    page_slug: string;
    version_id: string | null;
    html: string | null;
    content: string | null;
    was_published: number;
    settings: string;
    turnstile_site_key: string | null;
  }>(sql`
    select f.workspace_id, f.id as funnel_id, f.slug as funnel_slug, p.id as page_id, p.slug as page_slug,
           v.id as version_id, v.html, v.content,
           exists (select 1 from page_versions pv where pv.page_id = p.id) as was_published, w.settings,
           case when ts.enabled then ts.site_key end as turnstile_site_key
    from funnels f
    join workspaces w on w.id = f.workspace_id
    left join turnstile_settings ts on ts.funnel_id = f.id
    join funnel_pages p on p.funnel_id = f.id
    left join page_versions v on v.id = p.published_version_id
    where f.slug = ${funnelSlug} and (${pageSlug} = '' or p.slug = ${pageSlug})
    order by p.position
    limit 1`);
  const row = rows[0];
  if (!row) return null;
  return {
    workspaceId: row.workspace_id,
    funnelId: row.funnel_id,
    funnelSlug: row.funnel_slug,
    pageId: row.page_id,
    pageSlug: row.page_slug,
    pageVersionId: row.version_id,
    html: row.html,
    content: row.content ? (JSON.parse(row.content) as PageContent) : null,
    wasPublished: Boolean(row.was_published),
    settings: JSON.parse(row.settings ?? '{}') as WorkspaceSettings,
    turnstileSiteKey: row.turnstile_site_key ?? null,
  };
}

export async function funnelPageRefs(db: Db, funnelId: string): Promise<FunnelPageRef[]> {
  const rows = await db.all<{ slug: string; position: number; published: number }>(
    sql`select slug, position, published_version_id is not null as published from funnel_pages where funnel_id = ${funnelId} order by position`,
  );
  return rows.map((r) => ({ slug: r.slug, position: r.position, published: Boolean(r.published) }));
}

/** A custom host name → the slug of the funnel it serves, or null. */
export async function funnelSlugForDomain(db: Db, host: string): Promise<string | null> {
  const rows = await db.all<{ slug: string }>(sql`select slug from funnels where custom_domain = ${host} limit 1`);
  return rows[0]?.slug ?? null;
}
