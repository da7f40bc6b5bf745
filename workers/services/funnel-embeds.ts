/**
 * The embed snippets of a funnel's lead forms, for the copy button on the funnel page: the same
 * `<script src=…/embed.js data-form=…>` tag routes/public/embed.ts serves, per form. An embedded
 * form always shows the page's *published* version, so a form only in the draft is listed as not
 * embeddable yet.
 */
import type { EmbeddableForm } from '../contract/page-editor';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { funnelPages, pageVersions, workspaces } from '../../db/schema';
import type { Db } from '../../db/types';
import type { PageContent } from '../domain/blocks';
import { getFunnel } from './funnels';

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

const leadForms = (content: unknown) =>
  ((content as PageContent | null)?.blocks ?? []).filter(
    (b): b is Extract<PageContent['blocks'][number], { type: 'lead_form' }> => b.type === 'lead_form',
  );

/** `origin`: where the app is served (https://<app host>), which the snippet loads embed.js from. */
export async function funnelEmbeds(db: Db, workspaceId: string, funnelId: string, origin: string) {
  await getFunnel(db, workspaceId, funnelId);
  const pages = await db
    .select({
      id: funnelPages.id,
      name: funnelPages.name,
      slug: funnelPages.slug,
      draft: funnelPages.draft,
      versionId: funnelPages.publishedVersionId,
    })
    .from(funnelPages)
    .where(and(eq(funnelPages.funnelId, funnelId), eq(funnelPages.workspaceId, workspaceId)))
    .orderBy(asc(funnelPages.position));
  const versionIds = pages.map((p) => p.versionId).filter((id): id is string => id !== null);
  const [published, [workspace]] = await Promise.all([
    versionIds.length
      ? db.select({ id: pageVersions.id, content: pageVersions.content }).from(pageVersions).where(inArray(pageVersions.id, versionIds))
      : Promise.resolve([]),
    db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId)),
  ]);
  const scriptUrl = `${origin}/embed.js`;
  const forms: EmbeddableForm[] = [];
  for (const page of pages) {
    const live = new Set(leadForms(published.find((v) => v.id === page.versionId)?.content ?? null).map((b) => b.id));
    for (const block of leadForms(page.draft)) {
      const embedId = `${page.id}.${block.id}`;
      forms.push({
        pageId: page.id,
        pageName: page.name,
        pageSlug: page.slug,
        blockId: block.id,
        title: block.title ?? null,
        embedId,
        published: live.has(block.id),
        snippet: `<script src="${escapeAttribute(scriptUrl)}" data-form="${escapeAttribute(embedId)}" async></script>`,
      });
    }
  }
  return {
    scriptUrl,
    /** Sites allowed to post embedded forms (workspace settings); an embed elsewhere is refused. */
    allowedOrigins: workspace?.settings.allowedOrigins ?? [],
    forms,
  };
}
