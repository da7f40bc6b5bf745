/**
 * A page's version history: every version ever published (who, when, why), one version's
 * content and render, and one-click rollback — an earlier version published again as the newest
 * one, with the draft reset to it.
 */
import { and, desc, eq } from 'drizzle-orm';
import { funnelPages, pageVersions, users } from '../../db/schema';
import type { Db } from '../../db/types';
import type { PageContent } from '../domain/blocks';
import { notFound } from '../domain/errors';
import type { EditConflict, PageVersionDetail, PageVersionSummary } from '../contract/page-editor';
import { findPage, publishContent, type Ctx } from './funnels';

const versionColumns = {
  id: pageVersions.id,
  version: pageVersions.version,
  reason: pageVersions.reason,
  restoredFrom: pageVersions.restoredFrom,
  createdAt: pageVersions.createdAt,
  userId: users.id,
  userName: users.name,
  userEmail: users.email,
};

type VersionRow = { id: string; version: number; reason: PageVersionSummary['reason']; restoredFrom: number | null; createdAt: number } & {
  userId: string | null;
  userName: string | null;
  userEmail: string | null;
};

function summary(row: VersionRow, liveVersionId: string | null): PageVersionSummary {
  const { userId, userName, userEmail, ...version } = row;
  return {
    ...version,
    publishedBy: userId ? { id: userId, name: userName ?? '', email: userEmail ?? '' } : null,
    live: row.id === liveVersionId,
  };
}

/** Newest first. `live` marks the version visitors see now (none after an unpublish). */
export async function listVersions(db: Db, workspaceId: string, pageId: string) {
  const { page } = await findPage(db, workspaceId, pageId);
  const rows = await db
    .select(versionColumns)
    .from(pageVersions)
    .leftJoin(users, eq(users.id, pageVersions.createdBy))
    .where(and(eq(pageVersions.pageId, pageId), eq(pageVersions.workspaceId, workspaceId)))
    .orderBy(desc(pageVersions.version));
  return { publishedVersionId: page.publishedVersionId, versions: rows.map((row) => summary(row, page.publishedVersionId)) };
}

/** One version with its content (blocks and settings) and the HTML it was published as. */
export async function getVersion(db: Db, workspaceId: string, pageId: string, versionId: string): Promise<PageVersionDetail> {
  const { page } = await findPage(db, workspaceId, pageId);
  const [row] = await db
    .select({ ...versionColumns, content: pageVersions.content, html: pageVersions.html })
    .from(pageVersions)
    .leftJoin(users, eq(users.id, pageVersions.createdBy))
    .where(and(eq(pageVersions.id, versionId), eq(pageVersions.pageId, pageId), eq(pageVersions.workspaceId, workspaceId)));
  if (!row) throw notFound('Version');
  const { content, html, ...rest } = row;
  return { ...summary(rest, page.publishedVersionId), content: content as PageContent, html };
}

export type RestoreResult =
  | { kind: 'restored'; version: { id: string; version: number; url: string }; revision: number }
  | { kind: 'conflict'; current: EditConflict };

/**
 * Rollback: the version's content becomes the newest version (reason `restore`) and the draft.
 * It is rendered where the page sits now, so with the funnel's pages unchanged the live page is
 * byte for byte the HTML that version was published as, and after a move its links still work.
 * The draft is replaced only if nobody saved it since `baseRevision` (the page's revision when
 * absent): otherwise nothing is written and the current draft comes back.
 */
export async function restoreVersion(
  ctx: Ctx,
  workspaceId: string,
  pageId: string,
  versionId: string,
  userId: string | null,
  baseRevision?: number,
): Promise<RestoreResult> {
  const found = await findPage(ctx.db, workspaceId, pageId);
  const [source] = await ctx.db
    .select({ version: pageVersions.version, content: pageVersions.content })
    .from(pageVersions)
    .where(and(eq(pageVersions.id, versionId), eq(pageVersions.pageId, pageId), eq(pageVersions.workspaceId, workspaceId)));
  if (!source) throw notFound('Version');
  const from = baseRevision ?? found.page.revision;
  const published = await publishContent(ctx, workspaceId, found, source.content as PageContent, {
    userId,
    reason: 'restore',
    restoredFrom: source.version,
    resetDraftFrom: from,
  });
  if (published.kind === 'conflict') return published;
  const [page] = await ctx.db.select({ revision: funnelPages.revision }).from(funnelPages).where(eq(funnelPages.id, pageId));
  return { kind: 'restored', version: published.version, revision: page?.revision ?? from + 1 };
}
