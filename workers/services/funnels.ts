/** Funnels and their pages as the admin API edits them: drafts, order, publish and unpublish. */
import type { EditConflict } from '../contract/page-editor';
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, max, ne, sql, type SQL } from 'drizzle-orm';
import { deletedFunnels, funnelPages, funnels, pageVersions, users } from '../../db/schema';
import type { PageVersionReason } from '../domain/page-versions';
import { isUniqueViolation } from '../../db/errors';
import type { Db } from '../../db/types';
import type { StageOverrides } from '../domain/stages';
import type { PageContent } from '../domain/blocks';
import { conflict, notFound } from '../domain/errors';
import type { ServiceCtx } from './context';
import { funnelCacheKeys, pageCacheKey } from './page-cache';

/** Publishing renders through the runtime's renderer (`renderPublishedPage`) and invalidates the page cache. */
export type Ctx = Pick<ServiceCtx, 'db' | 'clock' | 'newId' | 'pageCache' | 'renderPublishedPage'>;

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

export function pagePath(funnelSlug: string, pageSlug: string, isFirst: boolean): string {
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
  // Pages, versions, visitor stages and rollups go with the row; the raw events are left to the
  // scheduled job (possibly millions: too many for one request's write), which the entry tells.
  await ctx.db.batch([
    ctx.db.delete(funnels).where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, workspaceId))),
    ctx.db.insert(deletedFunnels).values({ funnelId, workspaceId, deletedAt: ctx.clock() }).onConflictDoNothing(),
  ]);
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
  // The column's default: a new page starts at revision 1.
  return { ...row, revision: 1 };
}

/**
 * Positions are an order, not slots: a page put at `to` (new, or moving from `from`) moves the
 * pages between along by one, so no two pages share a position and "first" is never ambiguous.
 */
export function makeRoom(ctx: Pick<Ctx, 'db'>, funnelId: string, pageId: string, from: number | null, to: number, guard?: SQL) {
  const inFunnel = and(eq(funnelPages.funnelId, funnelId), ne(funnelPages.id, pageId), guard);
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

export async function findPage(db: Db, workspaceId: string, pageId: string) {
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

/** The page fields a save may change, and the revision of the page it was based on. */
export interface PageDraftEdit extends Partial<PageInput> {
  baseRevision: number;
}

export type PageUpdate = { kind: 'updated'; page: Awaited<ReturnType<typeof getPage>> } | { kind: 'conflict'; current: EditConflict };

/**
 * Saves a page only if nobody saved it since `baseRevision` (optimistic concurrency): the
 * revision check and the write are one statement, so of two editors who started from the same
 * revision exactly one succeeds and the other gets the current page back, with nothing
 * overwritten. Changes to the draft, name, slug or kind bump the revision; a move (`position`)
 * is the funnel's order, not the page's content, and does not.
 */
export async function updatePage(
  ctx: Ctx,
  workspaceId: string,
  pageId: string,
  input: PageDraftEdit,
  userId: string | null,
): Promise<PageUpdate> {
  const { page, funnelSlug } = await findPage(ctx.db, workspaceId, pageId);
  const { content, baseRevision, ...rest } = input;
  const edits = content !== undefined || rest.name !== undefined || rest.slug !== undefined || rest.kind !== undefined;
  const atBase = and(eq(funnelPages.id, pageId), eq(funnelPages.workspaceId, workspaceId), eq(funnelPages.revision, baseRevision));
  const update = ctx.db
    .update(funnelPages)
    .set({
      ...rest,
      ...(content ? { draft: content } : {}),
      ...(edits ? { revision: sql`${funnelPages.revision} + 1`, draftUpdatedBy: userId } : {}),
      updatedAt: ctx.clock(),
    })
    .where(atBase);
  const moves = rest.position !== undefined && rest.position !== page.position;
  // The siblings move only if the page itself is still at the base revision (checked in the same batch).
  const stillAtBase = sql`exists (select 1 from ${funnelPages} where ${atBase})`;
  const written = await uniqueOr409(async () => {
    if (moves) return (await ctx.db.batch([makeRoom(ctx, page.funnelId, pageId, page.position, rest.position!, stillAtBase), update]))[1];
    return update;
  }, 'A page with this slug already exists in the funnel.');
  if (written.rowsAffected === 0) return { kind: 'conflict', current: await currentDraft(ctx.db, workspaceId, pageId) };
  // A new slug or position changes which URL serves the published version (and the URLs in every
  // page); the old slug is no longer among the funnel's pages, so its key is dropped explicitly.
  if (rest.slug !== undefined || rest.position !== undefined) {
    await funnelLayoutChanged(ctx, workspaceId, page.funnelId, funnelSlug, [pageCacheKey(funnelSlug, page.slug)]);
  }
  return { kind: 'updated', page: await getPage(ctx.db, workspaceId, pageId) };
}

/** The page's current draft and who saved it; not found if it was deleted meanwhile. */
export async function currentDraft(db: Db, workspaceId: string, pageId: string): Promise<EditConflict> {
  const [row] = await db
    .select({
      revision: funnelPages.revision,
      name: funnelPages.name,
      slug: funnelPages.slug,
      kind: funnelPages.kind,
      draft: funnelPages.draft,
      updatedAt: funnelPages.updatedAt,
      userId: users.id,
      userName: users.name,
    })
    .from(funnelPages)
    .leftJoin(users, eq(users.id, funnelPages.draftUpdatedBy))
    .where(and(eq(funnelPages.id, pageId), eq(funnelPages.workspaceId, workspaceId)));
  if (!row) throw notFound('Page');
  const { userId, userName, ...current } = row;
  return { ...current, updatedBy: userId ? { id: userId, name: userName ?? '' } : null };
}

export async function deletePage(ctx: Ctx, workspaceId: string, pageId: string) {
  const { page, funnelSlug } = await findPage(ctx.db, workspaceId, pageId);
  await ctx.db.delete(funnelPages).where(and(eq(funnelPages.id, pageId), eq(funnelPages.workspaceId, workspaceId)));
  await funnelLayoutChanged(ctx, workspaceId, page.funnelId, funnelSlug, [pageCacheKey(funnelSlug, page.slug)]);
}

async function invalidateFunnel(ctx: Ctx, funnelId: string, funnelSlug: string) {
  const pages = await funnelSiblings(ctx, funnelId);
  await ctx.pageCache.delete(
    funnelCacheKeys(
      funnelSlug,
      pages.map((p) => p.slug),
    ),
  );
}

/** After pages were added in between, moved, renamed or deleted: published pages follow, stale cache entries go. */
export async function funnelLayoutChanged(ctx: Ctx, workspaceId: string, funnelId: string, funnelSlug: string, staleKeys: string[] = []) {
  await rerenderPublished(ctx, workspaceId, funnelId, funnelSlug);
  await ctx.pageCache.delete(staleKeys);
  await invalidateFunnel(ctx, funnelId, funnelSlug);
}

/** The funnel's pages in order, each with whether visitors can open it (what links between pages need). */
export async function funnelSiblings(ctx: Pick<Ctx, 'db'>, funnelId: string) {
  const rows = await ctx.db
    .select({
      id: funnelPages.id,
      slug: funnelPages.slug,
      position: funnelPages.position,
      publishedVersionId: funnelPages.publishedVersionId,
    })
    .from(funnelPages)
    .where(eq(funnelPages.funnelId, funnelId))
    .orderBy(asc(funnelPages.position));
  return rows.map((row) => ({ ...row, published: row.publishedVersionId !== null }));
}

/**
 * Published HTML has the funnel's URLs in it: form actions, links to other pages (made only to
 * pages visitors can open), and the funnel root for whichever page is first. When those change
 * (pages renamed, moved, deleted, published or taken down), each published page is rendered again
 * from its *published* content (never the draft), and one whose HTML comes out different becomes
 * a new version, so no form posts to a dead URL and no button leads to a page that is gone.
 */
async function rerenderPublished(ctx: Ctx, workspaceId: string, funnelId: string, funnelSlug: string) {
  const siblings = await funnelSiblings(ctx, funnelId);
  const live = siblings.filter((p) => p.publishedVersionId !== null);
  if (!live.length) return;
  const [current, latest] = await Promise.all([
    ctx.db
      .select({ id: pageVersions.id, content: pageVersions.content, createdBy: pageVersions.createdBy, html: pageVersions.html })
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
    const html = ctx.renderPublishedPage(published.content as PageContent, funnelSlug, page.slug, siblings);
    if (html === published.html) return [];
    const version = {
      id: ctx.newId(),
      workspaceId,
      pageId: page.id,
      version: (latest.find((l) => l.pageId === page.id)?.latest ?? 0) + 1,
      content: published.content,
      html,
      createdBy: published.createdBy,
      reason: 'relink' as const,
      createdAt: now,
    };
    // Repointed only if still on the version it was rendered from (not unpublished or republished meanwhile).
    const repoint = ctx.db
      .update(funnelPages)
      .set({ publishedVersionId: version.id })
      .where(and(eq(funnelPages.id, page.id), eq(funnelPages.publishedVersionId, published.id)));
    return [ctx.db.insert(pageVersions).values(version), repoint];
  });
  if (!writes.length) return;
  await uniqueOr409(
    () => ctx.db.batch(writes as unknown as Parameters<Db['batch']>[0]),
    'Someone published a page of this funnel at the same moment; try again.',
  );
}

export type PagePublish =
  { kind: 'published'; version: { id: string; version: number; url: string } } | { kind: 'conflict'; current: EditConflict };

/**
 * Renders the current draft into a new immutable version and points the page at it. The version
 * and the pointer are written in one batch; the cache is invalidated only after they are stored.
 * With `baseRevision` (the draft the member saw and checked), nothing is published if someone
 * saved the draft since: the conflict carries the draft as it is now.
 */
export async function publishPage(
  ctx: Ctx,
  workspaceId: string,
  pageId: string,
  userId: string | null,
  baseRevision?: number,
): Promise<PagePublish> {
  const found = await findPage(ctx.db, workspaceId, pageId);
  if (baseRevision !== undefined && found.page.revision !== baseRevision) {
    return { kind: 'conflict', current: await currentDraft(ctx.db, workspaceId, pageId) };
  }
  const published = await publishContent(ctx, workspaceId, found, found.page.draft as PageContent, {
    userId,
    reason: 'publish',
    // The draft read above is this revision's; the write checks the page is still at it.
    ...(baseRevision !== undefined ? { draftAt: baseRevision } : {}),
  });
  return published.kind === 'conflict' ? published : { kind: 'published', version: published.version };
}

export interface PublishOptions {
  userId: string | null;
  reason: PageVersionReason;
  /** For a restore: the number of the version published again. */
  restoredFrom?: number;
  /** Also make this content the draft (a restore), only if the draft is still at this revision. */
  resetDraftFrom?: number;
  /** Publish only if the draft is still at this revision (nobody saved it since), leaving the draft as it is. */
  draftAt?: number;
}

export type PublishResult =
  { kind: 'published'; version: { id: string; version: number; url: string }; html: string } | { kind: 'conflict'; current: EditConflict };

/**
 * Renders `content` where the page sits in its funnel, stores it as the page's next version and
 * points the page at it — one batch, so visitors see the old version or the new one, never a
 * pointer to nothing. With `resetDraftFrom`, the draft becomes this content in the same batch;
 * with it or `draftAt`, nothing at all is written if someone saved the draft since that revision.
 */
export async function publishContent(
  ctx: Ctx,
  workspaceId: string,
  { page, funnelSlug }: Awaited<ReturnType<typeof findPage>>,
  content: PageContent,
  options: PublishOptions,
): Promise<PublishResult> {
  const siblings = await funnelSiblings(ctx, page.funnelId);
  const html = ctx.renderPublishedPage(content, funnelSlug, page.slug, siblings);
  const [{ latest } = { latest: 0 }] = await ctx.db
    .select({ latest: max(pageVersions.version) })
    .from(pageVersions)
    .where(eq(pageVersions.pageId, page.id));
  const version = {
    id: ctx.newId(),
    workspaceId,
    pageId: page.id,
    version: (latest ?? 0) + 1,
    content,
    html,
    createdBy: options.userId,
    reason: options.reason,
    restoredFrom: options.restoredFrom ?? null,
    createdAt: ctx.clock(),
  };
  const base = options.resetDraftFrom ?? options.draftAt;
  const guard = base === undefined ? undefined : and(eq(funnelPages.id, page.id), eq(funnelPages.revision, base));
  const insert =
    guard === undefined
      ? ctx.db.insert(pageVersions).values(version)
      : ctx.db
          .run(sql`insert into ${pageVersions} (id, workspace_id, page_id, version, content, html, created_by, reason, restored_from, created_at)
          select ${version.id}, ${workspaceId}, ${page.id}, ${version.version}, ${JSON.stringify(content)}, ${html}, ${version.createdBy},
                 ${version.reason}, ${version.restoredFrom}, ${version.createdAt}
          where exists (select 1 from ${funnelPages} where ${guard})`);
  const repoint = ctx.db
    .update(funnelPages)
    .set({
      publishedVersionId: version.id,
      updatedAt: version.createdAt,
      ...(options.resetDraftFrom === undefined
        ? {}
        : { draft: content, revision: sql`${funnelPages.revision} + 1`, draftUpdatedBy: options.userId }),
    })
    .where(guard ?? eq(funnelPages.id, page.id));
  const [, pointed] = await uniqueOr409(
    () => ctx.db.batch([insert, repoint]),
    'Someone published this page at the same moment; try again.',
  );
  if (pointed.rowsAffected === 0) return { kind: 'conflict', current: await currentDraft(ctx.db, workspaceId, page.id) };
  // Now visitors can open it: the funnel's other published pages link to it (they showed the text only).
  if (page.publishedVersionId === null) await rerenderPublished(ctx, workspaceId, page.funnelId, funnelSlug);
  await ctx.pageCache.delete(
    funnelCacheKeys(
      funnelSlug,
      siblings.map((s) => s.slug),
    ),
  );
  return {
    kind: 'published',
    version: { id: version.id, version: version.version, url: pagePath(funnelSlug, page.slug, siblings[0]?.slug === page.slug) },
    html,
  };
}

export async function unpublishPage(ctx: Ctx, workspaceId: string, pageId: string) {
  const { page, funnelSlug } = await findPage(ctx.db, workspaceId, pageId);
  await ctx.db
    .update(funnelPages)
    .set({ publishedVersionId: null, updatedAt: ctx.clock() })
    .where(and(eq(funnelPages.id, pageId), eq(funnelPages.workspaceId, workspaceId)));
  // Buttons to it on the funnel's other published pages would lead to "gone": they keep only their text.
  if (page.publishedVersionId !== null) await rerenderPublished(ctx, workspaceId, page.funnelId, funnelSlug);
  await invalidateFunnel(ctx, page.funnelId, funnelSlug);
}

export async function uniqueOr409<T>(write: () => Promise<T>, message = 'That slug or domain is already taken.'): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(message, 'already_exists');
    throw err;
  }
}
