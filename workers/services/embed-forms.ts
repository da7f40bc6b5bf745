/** Lead forms embedded on other sites: which form an embed id names, and who may post to it. */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/types';
import type { LeadFormBlock, PageContent } from '../domain/blocks';
import type { WorkspaceSettings } from '../../db/schema';

export interface EmbeddedForm {
  workspaceId: string;
  funnelId: string;
  pageId: string;
  pageSlug: string;
  pageVersionId: string;
  content: PageContent;
  block: LeadFormBlock;
  allowedOrigins: string[];
  /** The workspace's tracking settings (cookieless mode, privacy signals). */
  settings: WorkspaceSettings;
  /** The Turnstile site key when the funnel has the check on, else null. */
  turnstileSiteKey: string | null;
}

/** Embed ids are `<pageId>.<blockId>`: the published version of that page, that lead form. */
export async function findEmbeddedForm(db: Db, embedId: string): Promise<EmbeddedForm | null> {
  const [pageId, blockId] = embedId.split('.');
  if (!pageId || !blockId) return null;
  const rows = await db.all<{
    workspace_id: string;
    funnel_id: string;
    page_slug: string;
    version_id: string;
    content: string;
    settings: string;
    turnstile_site_key: string | null;
  }>(sql`
    select p.workspace_id, p.funnel_id, p.slug as page_slug, v.id as version_id, v.content, w.settings,
           case when ts.enabled then ts.site_key end as turnstile_site_key
    from funnel_pages p
    join page_versions v on v.id = p.published_version_id
    join workspaces w on w.id = p.workspace_id
    left join turnstile_settings ts on ts.funnel_id = p.funnel_id
    where p.id = ${pageId}
    limit 1`);
  const row = rows[0];
  if (!row) return null;
  const content = JSON.parse(row.content) as PageContent;
  const block = content.blocks.find((b): b is LeadFormBlock => b.id === blockId && b.type === 'lead_form');
  if (!block) return null;
  const settings = JSON.parse(row.settings) as WorkspaceSettings;
  return {
    workspaceId: row.workspace_id,
    funnelId: row.funnel_id,
    pageId,
    pageSlug: row.page_slug,
    pageVersionId: row.version_id,
    content,
    block,
    allowedOrigins: settings.allowedOrigins ?? [],
    settings,
    turnstileSiteKey: row.turnstile_site_key ?? null,
  };
}
