/**
 * Per-page numbers of a funnel for the funnel page: views and conversions (captures made on the
 * page: form, quiz, lead magnet, chat) over a period, from the per-page daily rollups that ingest
 * keeps — never a scan of raw events. Only tracked visits count (privacy signals and cookieless
 * settings as everywhere), so conversions ÷ views compares like with like.
 */
import type { PageStatsRow } from '../contract/page-editor';
import { and, asc, between, eq, sql } from 'drizzle-orm';
import { funnelPages, pageDailyRollups } from '../../db/schema';
import type { Db } from '../../db/types';
import type { ReportPeriod } from '../contract/reports';
import { getFunnel } from './funnels';

export async function pageStats(db: Db, workspaceId: string, funnelId: string, period: ReportPeriod) {
  await getFunnel(db, workspaceId, funnelId);
  const [pages, sums] = await Promise.all([
    db
      .select({ id: funnelPages.id, slug: funnelPages.slug, name: funnelPages.name, position: funnelPages.position })
      .from(funnelPages)
      .where(and(eq(funnelPages.funnelId, funnelId), eq(funnelPages.workspaceId, workspaceId)))
      .orderBy(asc(funnelPages.position)),
    db
      .select({
        pageId: pageDailyRollups.pageId,
        views: sql<number>`sum(${pageDailyRollups.views})`,
        conversions: sql<number>`sum(${pageDailyRollups.conversions})`,
      })
      .from(pageDailyRollups)
      .where(
        and(
          eq(pageDailyRollups.funnelId, funnelId),
          eq(pageDailyRollups.workspaceId, workspaceId),
          between(pageDailyRollups.day, period.from, period.to),
        ),
      )
      .groupBy(pageDailyRollups.pageId),
  ]);
  const byPage = new Map(sums.map((s) => [s.pageId, s]));
  const rows: PageStatsRow[] = pages.map((page) => {
    const views = Number(byPage.get(page.id)?.views ?? 0);
    const conversions = Number(byPage.get(page.id)?.conversions ?? 0);
    return {
      pageId: page.id,
      slug: page.slug,
      name: page.name,
      position: page.position,
      views,
      conversions,
      conversionRate: views > 0 ? conversions / views : null,
    };
  });
  const views = rows.reduce((n, r) => n + r.views, 0);
  const conversions = rows.reduce((n, r) => n + r.conversions, 0);
  return { period, pages: rows, totals: { views, conversions, conversionRate: views > 0 ? conversions / views : null } };
}
