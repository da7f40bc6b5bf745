import { eq } from 'drizzle-orm';
import { funnelPages, funnels, workspaces, type WorkspaceSettings } from '../../db/schema';
import type { Db } from '../../db/types';
import { notFound } from '../domain/errors';
import type { ServiceCtx } from './context';
import { funnelCacheKeys } from './page-cache';

export async function getWorkspace(db: Db, workspaceId: string) {
  const [ws] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!ws) throw notFound('Workspace');
  return ws;
}

export async function renameWorkspace(db: Db, workspaceId: string, name: string) {
  await db.update(workspaces).set({ name }).where(eq(workspaces.id, workspaceId));
  return { id: workspaceId, name };
}

/** Merges the changes into the workspace's settings and drops its cached pages, which carry the tracking flags of the old ones. */
export async function updateWorkspaceSettings(
  ctx: Pick<ServiceCtx, 'db' | 'pageCache'>,
  workspaceId: string,
  changes: Partial<WorkspaceSettings>,
) {
  const { db } = ctx;
  const [ws] = await db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!ws) throw notFound('Workspace');
  const settings = { ...ws.settings, ...changes };
  await db.update(workspaces).set({ settings }).where(eq(workspaces.id, workspaceId));
  const pages = await db
    .select({ funnelSlug: funnels.slug, pageSlug: funnelPages.slug })
    .from(funnels)
    .leftJoin(funnelPages, eq(funnelPages.funnelId, funnels.id))
    .where(eq(funnels.workspaceId, workspaceId));
  await ctx.pageCache.delete(pages.flatMap((p) => funnelCacheKeys(p.funnelSlug, p.pageSlug ? [p.pageSlug] : [])));
  return { settings };
}
