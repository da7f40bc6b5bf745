/** Funnels and their pages as the admin API edits them: drafts, order, publish and unpublish. */
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, max, ne, sql, type SQL } from 'drizzle-orm';
import { funnelPages, funnels, pageVersions } from '../../db/schema';
import { isUniqueViolation } from '../../db/errors';
import type { Db } from '../../db/types';
import type { StageOverrides } from '../domain/stages';
import type { PageContent } from '../domain/blocks';
import { conflict, notFound } from '../domain/errors';
import type { ServiceCtx } from './context';
import { funnelCacheKeys, pageCacheKey } from './page-cache';

/** Publishing renders through the runtime's renderer (`renderPublishedPage`) and invalidates the page cache. */
type Ctx = Pick<ServiceCtx, 'db' | 'clock' | 'newId' | 'pageCache' | 'renderPublishedPage'>;

export const PAGE_KINDS = ['landing', 'quiz', 'lead_magnet', 'offer', 'thank_you', 'custom'] as const;
type PageKind = (typeof PAGE_KINDS)[number];

export interface FunnelInput {
  name: string;
  slug: string;
  customDomain?: string | null;
  /**
   * Per-funnel settings; `stages` overrides the event→stage mapping (see domain/stages.ts),
   * `scoring` is the lead-scoring config (services/scoring.ts). On update, keys are merged: a key
   * sent replaces that key, `null` removes it, keys not sent are kept.
   */
  settings?: { stages?: StageOverrides | null; scoring?: unknown } & Record<string, unknown>;
}

export async function listFunnels(db: Db, workspaceId: string) {
  return db.select().from(funnels).where(eq(funnels.workspaceId, workspaceId)).orderBy(asc(funnels.createdAt));
}

export async function getFunnel(db: Db, workspaceId: string, funnelId: string) {
  const [funnel] = await db
    .select()
    .from(funnels)
    .where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, workspaceId)));
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

function pagePath(funnelSlug: string, pageSlug: string, isFirst: boolean): string {
  return isFirst ? `/p/${funnelSlug}` : `/p/${funnelSlug}/${pageSlug}`;
}

export async function createFunnel(ctx: Ctx, workspaceId: string, input: FunnelInput) {
  const now = ctx.clock();
  const row = {
    id: ctx.newId(),
    workspaceId,
    name: input.name,
    slug: input.slug,
    customDomain: input.customDomain ?? null,
    settings: input.settings ?? {},
    createdAt: now,
    updatedAt: now,
  };
  await uniqueOr409(() => ctx.db.insert(funnels).values(row));
  return row;
}

export async function updateFunnel(ctx: Ctx, workspaceId: string, funnelId: string, input: Partial<FunnelInput>) {
  const before = await getFunnel(ctx.db, workspaceId, funnelId);
  const { settings, ...fields } = input;
  await uniqueOr409(() =>
    ctx.db
      .update(funnels)
      .set({ ...fields, ...(settings ? { settings: mergedSettings(settings) } : {}), updatedAt: ctx.clock() })
      .where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, workspaceId))),
  );
  // The old URLs stop resolving, so their cached pages must go too; published pages follow a new slug.
  const oldKeys = funnelCacheKeys(
    before.slug,
    before.pages.map((p) => p.slug),
  );
  if (input.slug !== undefined && input.slug !== before.slug) await funnelLayoutChanged(ctx, workspaceId, funnelId, input.slug, oldKeys);
  else await ctx.pageCache.delete(oldKeys);
  return getFunnel(ctx.db, workspaceId, funnelId);
}

/**
 * The stored settings with `patch` merged in, key by key, in the UPDATE itself (so a concurrent
 * write of another key, such as the scoring endpoint's `json_set`, is never lost): a key sent
 * replaces that key, `null` removes it, keys not sent are kept.
 */
function mergedSettings(patch: Record<string, unknown>): SQL {
  let merged = sql`${funnels.settings}`;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`Not a settings key: ${key}`);
    const path = `$.${key}`;
    merged = value === null ? sql`json_remove(${merged}, ${path})` : sql`json_set(${merged}, ${path}, json(${JSON.stringify(value)}))`;
  }
  return merged;
}

export async function deleteFunnel(ctx: Ctx, workspaceId: string, funnelId: string) {
  const funnel = await getFunnel(ctx.db, workspaceId, funnelId);
  await ctx.db.delete(funnels).where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, workspaceId)));
  await ctx.pageCache.delete(
    funnelCacheKeys(
      funnel.slug,
      funnel.pages.map((p) => p.slug),
    ),
  );
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
  await uniqueOr409(async () => {
    const insert = ctx.db.insert(funnelPages).values(row);
    if (input.position === undefined) await insert;
    else await ctx.db.batch([makeRoom(ctx, funnelId, row.id, null, position), insert]);
  }, 'A page with this slug already exists in the funnel.');
  // Placed among the others (rather than appended), it can become the first page or move others.
  if (input.position !== undefined) await funnelLayoutChanged(ctx, workspaceId, funnelId, funnel.slug);
  return row;
}

/**
 * Positions are an order, not slots: a page put at `to` (new, or moving from `from`) moves the
 * pages between along by one, so no two pages share a position and "first" is never ambiguous.
 */
function makeRoom(ctx: Ctx, funnelId: string, pageId: string, from: number | null, to: number) {
  const inFunnel = and(eq(funnelPages.funnelId, funnelId), ne(funnelPages.id, pageId));
  if (from === null || to < from) {
    return ctx.db
      .update(funnelPages)
      .set({ position: sql`${funnelPages.position} + 1` })
      .where(and(inFunnel, gte(funnelPages.position, to), from === null ? undefined : lt(funnelPages.position, from)));
  }
  return ctx.db
    .update(funnelPages)
    .set({ position: sql`${funnelPages.position} - 1` })
    .where(and(inFunnel, gt(funnelPages.position, from), lte(funnelPages.position, to)));
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
  const update = ctx.db
    .update(funnelPages)
    .set({ ...rest, ...(content ? { draft: content } : {}), updatedAt: ctx.clock() })
    .where(and(eq(funnelPages.id, pageId), eq(funnelPages.workspaceId, workspaceId)));
  const moves = rest.position !== undefined && rest.position !== page.position;
  await uniqueOr409(async () => {
    if (moves) await ctx.db.batch([makeRoom(ctx, page.funnelId, pageId, page.position, rest.position!), update]);
    else await update;
  }, 'A page with this slug already exists in the funnel.');
  // A new slug or position changes which URL serves the published version (and the URLs in every
  // page); the old slug is no longer among the funnel's pages, so its key is dropped explicitly.
  if (rest.slug !== undefined || rest.position !== undefined) {
    await funnelLayoutChanged(ctx, workspaceId, page.funnelId, funnelSlug, [pageCacheKey(funnelSlug, page.slug)]);
  }
  return getPage(ctx.db, workspaceId, pageId);
}

export async function deletePage(ctx: Ctx, workspaceId: string, pageId: string) {
  const { page, funnelSlug } = await findPage(ctx.db, workspaceId, pageId);
  await ctx.db.delete(funnelPages).where(and(eq(funnelPages.id, pageId), eq(funnelPages.workspaceId, workspaceId)));
  await funnelLayoutChanged(ctx, workspaceId, page.funnelId, funnelSlug, [pageCacheKey(funnelSlug, page.slug)]);
}

async function invalidateFunnel(ctx: Ctx, funnelId: string, funnelSlug: string) {
  const pages = await ctx.db.select({ slug: funnelPages.slug }).from(funnelPages).where(eq(funnelPages.funnelId, funnelId));
  await ctx.pageCache.delete(
    funnelCacheKeys(
      funnelSlug,
      pages.map((p) => p.slug),
    ),
  );
}

/** After pages were added in between, moved, renamed or deleted: published pages follow, stale cache entries go. */
async function funnelLayoutChanged(ctx: Ctx, workspaceId: string, funnelId: string, funnelSlug: string, staleKeys: string[] = []) {
  await rerenderPublished(ctx, workspaceId, funnelId, funnelSlug);
  await ctx.pageCache.delete(staleKeys);
  await invalidateFunnel(ctx, funnelId, funnelSlug);
}

/**
 * Published HTML has the funnel's URLs in it: form actions, links to other pages, and the funnel
 * root for whichever page is first. When those change, each published page is rendered again from
 * its *published* content (never the draft) into a new version, so no form posts to a dead URL.
 */
async function rerenderPublished(ctx: Ctx, workspaceId: string, funnelId: string, funnelSlug: string) {
  const siblings = await ctx.db
    .select({
      id: funnelPages.id,
      slug: funnelPages.slug,
      position: funnelPages.position,
      publishedVersionId: funnelPages.publishedVersionId,
    })
    .from(funnelPages)
    .where(eq(funnelPages.funnelId, funnelId))
    .orderBy(asc(funnelPages.position));
  const live = siblings.filter((p) => p.publishedVersionId !== null);
  if (!live.length) return;
  const [current, latest] = await Promise.all([
    ctx.db
      .select({ id: pageVersions.id, content: pageVersions.content, createdBy: pageVersions.createdBy })
      .from(pageVersions)
      .where(
        inArray(
          pageVersions.id,
          live.map((p) => p.publishedVersionId!),
        ),
      ),
    ctx.db
      .select({ pageId: pageVersions.pageId, latest: max(pageVersions.version) })
      .from(pageVersions)
      .where(
        inArray(
          pageVersions.pageId,
          live.map((p) => p.id),
        ),
      )
      .groupBy(pageVersions.pageId),
  ]);
  const now = ctx.clock();
  const writes = live.flatMap((page) => {
    const published = current.find((v) => v.id === page.publishedVersionId)!;
    const version = {
      id: ctx.newId(),
      workspaceId,
      pageId: page.id,
      version: (latest.find((l) => l.pageId === page.id)?.latest ?? 0) + 1,
      content: published.content,
      html: ctx.renderPublishedPage(published.content as PageContent, funnelSlug, page.slug, siblings),
      createdBy: published.createdBy,
      createdAt: now,
    };
    // Repointed only if still on the version it was rendered from (not unpublished or republished meanwhile).
    const repoint = ctx.db
      .update(funnelPages)
      .set({ publishedVersionId: version.id })
      .where(and(eq(funnelPages.id, page.id), eq(funnelPages.publishedVersionId, published.id)));
    return [ctx.db.insert(pageVersions).values(version), repoint];
  });
  await uniqueOr409(
    () => ctx.db.batch(writes as unknown as Parameters<Db['batch']>[0]),
    'Someone published a page of this funnel at the same moment; try again.',
  );
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
  const html = ctx.renderPublishedPage(page.draft as PageContent, funnelSlug, page.slug, siblings);
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
  await ctx.pageCache.delete(
    funnelCacheKeys(
      funnelSlug,
      siblings.map((s) => s.slug),
    ),
  );
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
    if (isUniqueViolation(err)) throw conflict(message, 'already_exists');
    throw err;
  }
}
