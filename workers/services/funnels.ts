/** Funnels and their pages as the admin API edits them: drafts, order, publish and unpublish. */
import { and, asc, desc, eq, max } from 'drizzle-orm';
import { funnelPages, funnels, pageVersions } from '../../db/schema';
import type { Db } from '../../db/types';
import type { PageContent } from '../domain/blocks';
import { conflict, notFound } from '../domain/errors';
import type { AppDeps } from '../deps';
import { renderPublishedHtml } from './page-rendering';
import { funnelCacheKeys, type PageCache } from './page-cache';

type Ctx = Pick<AppDeps, 'clock' | 'newId'> & { db: Db; cache: PageCache };

export const PAGE_KINDS = ['landing', 'quiz', 'lead_magnet', 'offer', 'thank_you', 'custom'] as const;
export type PageKind = (typeof PAGE_KINDS)[number];

export interface FunnelInput {
  name: string;
  slug: string;
  customDomain?: string | null;
}

export async function listFunnels(db: Db, workspaceId: string) {
  return db.select().from(funnels).where(eq(funnels.workspaceId, workspaceId)).orderBy(asc(funnels.createdAt));
}

export async function getFunnel(db: Db, workspaceId: string, funnelId: string) {
  const [funnel] = await db.select().from(funnels).where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, workspaceId)));
  if (!funnel) throw notFound('Funnel');
  const pages = await db
    .select({
      id: funnelPages.id,
      slug: funnelPages.slug,
      name: funnelPages.name,
      kind: funnelPages.kind,
      position: funnelPages.position,
      publishedVersionId: funnelPages.publishedVersionId,
      updatedAt: funnelPages.updatedAt,
    })
    .from(funnelPages)
    .where(eq(funnelPages.funnelId, funnelId))
    .orderBy(asc(funnelPages.position));
  return { ...funnel, pages: pages.map((p) => ({ ...p, url: pagePath(funnel.slug, p.slug, p.position === pages[0]?.position) })) };
}

export function pagePath(funnelSlug: string, pageSlug: string, isFirst: boolean): string {
  return isFirst ? `/p/${funnelSlug}` : `/p/${funnelSlug}/${pageSlug}`;
}

export async function createFunnel(ctx: Ctx, workspaceId: string, input: FunnelInput) {
  const now = ctx.clock();
  const row = { id: ctx.newId(), workspaceId, name: input.name, slug: input.slug, customDomain: input.customDomain ?? null, createdAt: now, updatedAt: now };
  await uniqueOr409(() => ctx.db.insert(funnels).values(row));
  return row;
}

export async function updateFunnel(ctx: Ctx, workspaceId: string, funnelId: string, input: Partial<FunnelInput>) {
  const before = await getFunnel(ctx.db, workspaceId, funnelId);
  await uniqueOr409(() =>
    ctx.db
      .update(funnels)
      .set({ ...input, updatedAt: ctx.clock() })
      .where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, workspaceId))),
  );
  // The old URLs stop resolving, so their cached pages must go too.
  await ctx.cache.delete(funnelCacheKeys(before.slug, before.pages.map((p) => p.slug)));
  return getFunnel(ctx.db, workspaceId, funnelId);
}

export async function deleteFunnel(ctx: Ctx, workspaceId: string, funnelId: string) {
  const funnel = await getFunnel(ctx.db, workspaceId, funnelId);
  await ctx.db.delete(funnels).where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, workspaceId)));
  await ctx.cache.delete(funnelCacheKeys(funnel.slug, funnel.pages.map((p) => p.slug)));
}

export interface PageInput {
  slug: string;
  name: string;
  kind: PageKind;
  content: PageContent;
  position?: number;
}

export async function createPage(ctx: Ctx, workspaceId: string, funnelId: string, input: PageInput) {
  const funnel = await getFunnel(ctx.db, workspaceId, funnelId);
  const now = ctx.clock();
  const position = input.position ?? (funnel.pages.at(-1)?.position ?? -1) + 1;
  const row = {
    id: ctx.newId(),
    workspaceId,
    funnelId,
    slug: input.slug,
    name: input.name,
    kind: input.kind,
    position,
    draft: input.content,
    createdAt: now,
    updatedAt: now,
  };
  await uniqueOr409(() => ctx.db.insert(funnelPages).values(row), 'A page with this slug already exists in the funnel.');
  return row;
}

async function findPage(db: Db, workspaceId: string, pageId: string) {
  const [page] = await db
    .select({ page: funnelPages, funnelSlug: funnels.slug })
    .from(funnelPages)
    .innerJoin(funnels, eq(funnels.id, funnelPages.funnelId))
    .where(and(eq(funnelPages.id, pageId), eq(funnelPages.workspaceId, workspaceId)));
  if (!page) throw notFound('Page');
  return page;
}

export async function getPage(db: Db, workspaceId: string, pageId: string) {
  const { page } = await findPage(db, workspaceId, pageId);
  const versions = await db
    .select({ id: pageVersions.id, version: pageVersions.version, createdAt: pageVersions.createdAt, createdBy: pageVersions.createdBy })
    .from(pageVersions)
    .where(eq(pageVersions.pageId, pageId))
    .orderBy(desc(pageVersions.version));
  return { ...page, versions };
}

export async function updatePage(ctx: Ctx, workspaceId: string, pageId: string, input: Partial<PageInput>) {
  const { page, funnelSlug } = await findPage(ctx.db, workspaceId, pageId);
  const { content, ...rest } = input;
  await uniqueOr409(
    () =>
      ctx.db
        .update(funnelPages)
        .set({ ...rest, ...(content ? { draft: content } : {}), updatedAt: ctx.clock() })
        .where(and(eq(funnelPages.id, pageId), eq(funnelPages.workspaceId, workspaceId))),
    'A page with this slug already exists in the funnel.',
  );
  // A new slug or position changes which URL serves the published version.
  if (rest.slug !== undefined || rest.position !== undefined) await invalidateFunnel(ctx, page.funnelId, funnelSlug);
  return getPage(ctx.db, workspaceId, pageId);
}

export async function deletePage(ctx: Ctx, workspaceId: string, pageId: string) {
  const { page, funnelSlug } = await findPage(ctx.db, workspaceId, pageId);
  await ctx.db.delete(funnelPages).where(and(eq(funnelPages.id, pageId), eq(funnelPages.workspaceId, workspaceId)));
  await ctx.cache.delete(funnelCacheKeys(funnelSlug, [page.slug]));
  await invalidateFunnel(ctx, page.funnelId, funnelSlug);
}

async function invalidateFunnel(ctx: Ctx, funnelId: string, funnelSlug: string) {
  const pages = await ctx.db.select({ slug: funnelPages.slug }).from(funnelPages).where(eq(funnelPages.funnelId, funnelId));
  await ctx.cache.delete(funnelCacheKeys(funnelSlug, pages.map((p) => p.slug)));
}

/**
 * Renders the current draft into a new immutable version and points the page at it. The version
 * and the pointer are written in one batch; the cache is invalidated only after they are stored.
 */
export async function publishPage(ctx: Ctx, workspaceId: string, pageId: string, userId: string | null) {
  const { page, funnelSlug } = await findPage(ctx.db, workspaceId, pageId);
  const siblings = await ctx.db
    .select({ slug: funnelPages.slug, position: funnelPages.position })
    .from(funnelPages)
    .where(eq(funnelPages.funnelId, page.funnelId))
    .orderBy(asc(funnelPages.position));
  const html = renderPublishedHtml(page.draft as PageContent, funnelSlug, page.slug, siblings);
  const [{ latest } = { latest: 0 }] = await ctx.db
    .select({ latest: max(pageVersions.version) })
    .from(pageVersions)
    .where(eq(pageVersions.pageId, pageId));
  const version = {
    id: ctx.newId(),
    workspaceId,
    pageId,
    version: (latest ?? 0) + 1,
    content: page.draft,
    html,
    createdBy: userId,
    createdAt: ctx.clock(),
  };
  await uniqueOr409(
    () =>
      ctx.db.batch([
        ctx.db.insert(pageVersions).values(version),
        ctx.db.update(funnelPages).set({ publishedVersionId: version.id, updatedAt: version.createdAt }).where(eq(funnelPages.id, pageId)),
      ]),
    'Someone published this page at the same moment; try again.',
  );
  await ctx.cache.delete(funnelCacheKeys(funnelSlug, siblings.map((s) => s.slug)));
  return { id: version.id, version: version.version, url: pagePath(funnelSlug, page.slug, siblings[0]?.slug === page.slug) };
}

export async function unpublishPage(ctx: Ctx, workspaceId: string, pageId: string) {
  const { page, funnelSlug } = await findPage(ctx.db, workspaceId, pageId);
  await ctx.db
    .update(funnelPages)
    .set({ publishedVersionId: null, updatedAt: ctx.clock() })
    .where(and(eq(funnelPages.id, pageId), eq(funnelPages.workspaceId, workspaceId)));
  await invalidateFunnel(ctx, page.funnelId, funnelSlug);
}

async function uniqueOr409<T>(write: () => Promise<T>, message = 'That slug or domain is already taken.'): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const text = `${String(err)} ${String((err as { cause?: unknown }).cause ?? '')}`;
    if (/UNIQUE constraint failed/i.test(text)) throw conflict(message, 'already_exists');
    throw err;
  }
}
