/** A funnel's pages put in a new order, all at once (the funnel page's drag and keyboard reorder). */
import { sql } from 'drizzle-orm';
import { funnelPages } from '../../db/schema';
import { conflict, validationFailed } from '../domain/errors';
import { pageOrderIssues } from '../domain/page-order';
import { funnelLayoutChanged, getFunnel, type Ctx } from './funnels';

/**
 * Gives the pages positions 0…n-1 in the order of `pageIds`, which must list every page of the
 * funnel exactly once. One statement writes every position, and only if the funnel still has
 * exactly these pages (none added or deleted since it was read): all or nothing. Published pages
 * are then re-rendered for their new neighbours (the first page serves the funnel's root URL,
 * "next page" links follow the order) and the funnel's cached pages are dropped.
 */
export async function reorderPages(ctx: Ctx, workspaceId: string, funnelId: string, pageIds: string[]) {
  const funnel = await getFunnel(ctx.db, workspaceId, funnelId);
  const current = funnel.pages.map((p) => p.id);
  const issues = pageOrderIssues(current, pageIds);
  if (issues.length) throw validationFailed(issues, 'The new order must list every page of the funnel exactly once.');
  if (pageIds.every((id, i) => current[i] === id)) return funnel;
  const positions = sql.join(
    pageIds.map((id, i) => sql`when ${id} then ${i}`),
    sql` `,
  );
  const ids = sql.join(
    pageIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const result = await ctx.db.run(sql`
    update ${funnelPages} set position = case id ${positions} end, updated_at = ${ctx.clock()}
    where funnel_id = ${funnelId} and workspace_id = ${workspaceId} and id in (${ids})
      and (select count(*) from ${funnelPages} where funnel_id = ${funnelId}) = ${pageIds.length}`);
  if (result.rowsAffected !== pageIds.length) {
    throw conflict(
      'The funnel’s pages changed while you were reordering them (a page was added or deleted). Reload and try again.',
      'order_changed',
    );
  }
  await funnelLayoutChanged(ctx, workspaceId, funnelId, funnel.slug);
  return getFunnel(ctx.db, workspaceId, funnelId);
}
