/**
 * The funnel report: per stage, how many visitors reached it, conversion and drop-off, the
 * approximate median time from the previous stage (with its bucket's bounds), a breakdown by
 * source / medium / campaign, and the previous period of equal length; optionally for one source.
 * Read from the daily rollups only, never from raw events: the cost depends on days × sources,
 * not on traffic.
 *
 * The TOFU / MOFU / BOFU sections are people, not stage counts: `funnelSections` (below) counts
 * the visitors who first arrived in the period by their furthest stage.
 */
import { and, asc, eq } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { funnels } from '../../db/schema';
import type { Db } from '../../db/types';
import { approximateMedian } from '../domain/durations';
import { notFound } from '../domain/errors';
import { FUNNEL_SECTIONS, FUNNEL_STAGES, SECTION_OF_STAGE, sectionPeople, type FunnelStage } from '../domain/stages';
import type { FunnelListStats, FunnelReport, FunnelSections, ReportPeriod, StageRow } from '../contract/reports';

const DAY_MS = 24 * 60 * 60 * 1000;
const dayToMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const msToDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last 30 UTC days up to and including `now`'s day: the report's default period. */
export function last30Days(now: number): ReportPeriod {
  const to = msToDay(now);
  return { from: msToDay(dayToMs(to) - 29 * DAY_MS), to };
}

/** The period of equal length that ends the day before `period` starts. */
export function previousPeriod(period: ReportPeriod): ReportPeriod {
  const days = Math.round((dayToMs(period.to) - dayToMs(period.from)) / DAY_MS) + 1;
  return { from: msToDay(dayToMs(period.from) - days * DAY_MS), to: msToDay(dayToMs(period.from) - DAY_MS) };
}

const ratio = (n: number, d: number) => (d > 0 ? n / d : null);
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function scopedFunnel(db: Db, workspaceId: string, funnelId: string) {
  const [funnel] = await db
    .select({ id: funnels.id, name: funnels.name })
    .from(funnels)
    .where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, workspaceId)));
  if (!funnel) throw notFound('Funnel');
  return funnel;
}

/** `source`: one first-touch source only (`''` = direct / unknown); undefined for all. */
export async function funnelReport(
  db: Db,
  workspaceId: string,
  funnelId: string,
  period: ReportPeriod,
  source?: string,
): Promise<FunnelReport> {
  const funnel = await scopedFunnel(db, workspaceId, funnelId);
  const previous = previousPeriod(period);
  const bySourceFilter = source === undefined ? sql`` : sql`and source = ${source}`;

  const [cells, durations] = await Promise.all([
    db.all<{ stage: FunnelStage; source: string; medium: string; campaign: string; current: number; prior: number }>(sql`
      select stage, source, medium, campaign,
             sum(case when day >= ${period.from} then visitors else 0 end) as current,
             sum(case when day < ${period.from} then visitors else 0 end) as prior
      from daily_rollups
      where funnel_id = ${funnelId} and workspace_id = ${workspaceId} and day between ${previous.from} and ${period.to} ${bySourceFilter}
      group by stage, source, medium, campaign`),
    db.all<{ stage: FunnelStage; bucket: number; visitors: number }>(sql`
      select stage, bucket, sum(visitors) as visitors
      from stage_duration_rollups
      where funnel_id = ${funnelId} and workspace_id = ${workspaceId} and day between ${period.from} and ${period.to}
      group by stage, bucket`),
  ]);

  const totals = new Map<FunnelStage, { current: number; prior: number }>(FUNNEL_STAGES.map((s) => [s, { current: 0, prior: 0 }]));
  const sources = new Map<string, FunnelReport['bySource'][number]>();
  for (const cell of cells) {
    const t = totals.get(cell.stage)!;
    t.current += Number(cell.current);
    t.prior += Number(cell.prior);
    if (Number(cell.current) === 0) continue;
    const key = `${cell.source}\u0000${cell.medium}\u0000${cell.campaign}`;
    let row = sources.get(key);
    if (!row) {
      row = {
        source: cell.source,
        medium: cell.medium,
        campaign: cell.campaign,
        stages: Object.fromEntries(FUNNEL_STAGES.map((s) => [s, 0])) as Record<FunnelStage, number>,
      };
      sources.set(key, row);
    }
    row.stages[cell.stage] += Number(cell.current);
  }

  const histograms = new Map<FunnelStage, Map<number, number>>();
  for (const d of durations) {
    const h = histograms.get(d.stage) ?? new Map<number, number>();
    h.set(Number(d.bucket), (h.get(Number(d.bucket)) ?? 0) + Number(d.visitors));
    histograms.set(d.stage, h);
  }

  const top = totals.get('awareness')!.current;
  const stages: StageRow[] = FUNNEL_STAGES.map((stage, i) => {
    const visitors = totals.get(stage)!.current;
    const before = i > 0 ? totals.get(FUNNEL_STAGES[i - 1]!)!.current : null;
    // Durations are rolled up per funnel, not per source: a one-source report has no medians.
    const median = i === 0 || source !== undefined ? null : approximateMedian(histograms.get(stage) ?? new Map());
    return {
      stage,
      visitors,
      conversionFromPrevious: before === null ? null : ratio(visitors, before),
      conversionFromTop: ratio(visitors, top),
      dropOff: before === null ? null : before - visitors,
      medianMsFromPrevious: median?.ms ?? null,
      medianRangeMs: median ? { lowMs: median.lowMs, highMs: median.highMs } : null,
      previousPeriodVisitors: totals.get(stage)!.prior,
    };
  });

  // Most aware first; then by source, medium, campaign (code-point order, so the same on every runtime and locale).
  const bySource = [...sources.values()].sort(
    (a, b) =>
      b.stages.awareness - a.stages.awareness ||
      compareText(a.source, b.source) ||
      compareText(a.medium, b.medium) ||
      compareText(a.campaign, b.campaign),
  );
  return { funnel, period, previousPeriod: previous, source: source ?? null, stages, bySource };
}

/**
 * TOFU / MOFU / BOFU as people (see `SectionPeople`): the visitors who first arrived in the period
 * (and in the previous one), counted by their furthest stage — read from `people_rollups`, which
 * ingest keeps per arrival day × furthest stage × source, so the cost is days × sources, not visitors.
 */
export async function funnelSections(
  db: Db,
  workspaceId: string,
  funnelId: string,
  period: ReportPeriod,
  source?: string,
): Promise<FunnelSections> {
  const funnel = await scopedFunnel(db, workspaceId, funnelId);
  const previous = previousPeriod(period);
  const rows = await db.all<{ current: number; furthest: number; n: number }>(sql`
    select day >= ${period.from} as current, furthest_stage as furthest, sum(visitors) as n
    from people_rollups
    where funnel_id = ${funnelId} and workspace_id = ${workspaceId} and day between ${previous.from} and ${period.to}
      ${source === undefined ? sql`` : sql`and source = ${source}`}
    group by 1, 2`);
  const now = FUNNEL_STAGES.map(() => 0);
  const before = FUNNEL_STAGES.map(() => 0);
  for (const r of rows) {
    const furthest = Number(r.furthest);
    if (furthest < 0 || furthest >= FUNNEL_STAGES.length) continue;
    (Number(r.current) ? now : before)[furthest]! += Number(r.n);
  }
  const people = sectionPeople(now);
  const prior = sectionPeople(before);
  return {
    funnel,
    period,
    previousPeriod: previous,
    source: source ?? null,
    sections: FUNNEL_SECTIONS.map((section) => ({
      section,
      stages: FUNNEL_STAGES.filter((s) => SECTION_OF_STAGE[s] === section),
      reached: people[section].reached,
      current: people[section].current,
      shareOfVisitors: ratio(people[section].reached, people.TOFU.reached),
      previous: prior[section],
    })),
  };
}

/**
 * Every funnel of the workspace with its visitors (reached awareness, from the daily rollups),
 * the leads it brought in (created in the period with it as their source funnel — as the handoff
 * counts them) and the conversion between the two, for the funnel list. Two grouped queries
 * whatever the number of funnels; an idle funnel shows zeros.
 */
export async function funnelListStats(db: Db, workspaceId: string, period: ReportPeriod): Promise<FunnelListStats> {
  const rows = await db
    .select({ id: funnels.id })
    .from(funnels)
    .where(eq(funnels.workspaceId, workspaceId))
    .orderBy(asc(funnels.createdAt), asc(funnels.id));
  if (!rows.length) return { period, funnels: [] };
  const ids = sql.join(
    rows.map((f) => sql`${f.id}`),
    sql`, `,
  );
  const fromMs = dayToMs(period.from);
  const toMs = dayToMs(period.to) + DAY_MS;
  const [visitors, leadCounts] = await Promise.all([
    db.all<{ funnel_id: string; n: number }>(sql`
      select funnel_id, sum(visitors) as n from daily_rollups
      where funnel_id in (${ids}) and day >= ${period.from} and day <= ${period.to} and stage = 'awareness'
      group by funnel_id`),
    db.all<{ funnel_id: string; n: number }>(sql`
      select source_funnel_id as funnel_id, count(*) as n from leads
      where workspace_id = ${workspaceId} and source_funnel_id in (${ids}) and created_at >= ${fromMs} and created_at < ${toMs}
      group by source_funnel_id`),
  ]);
  const visitorsOf = new Map(visitors.map((r) => [r.funnel_id, Number(r.n)]));
  const leadsOf = new Map(leadCounts.map((r) => [r.funnel_id, Number(r.n)]));
  return {
    period,
    funnels: rows.map(({ id }) => {
      const v = visitorsOf.get(id) ?? 0;
      const l = leadsOf.get(id) ?? 0;
      return { funnelId: id, visitors: v, leads: l, conversion: ratio(l, v) };
    }),
  };
}
