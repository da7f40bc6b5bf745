/**
 * The handoff report: how the funnel feeds the pipeline in a period — visitors (reached awareness,
 * from the daily rollups) → leads (created) → qualified (first qualified) → deals created (with
 * value) → won (closed in a won stage, with value) — with the conversion between each step, in
 * total, per funnel and per source.
 *
 * Each step counts what happened *in the period* (not a cohort followed through): a lead created
 * last month and qualified this month counts as qualified this month. A step can therefore exceed
 * the one before it; conversions are plain ratios of the counts.
 *
 * Attribution: visitors by the rollups' funnel and first-touch source; leads and qualified by the
 * lead's source funnel and `leads.source`; deals by the deal's source funnel and `deals.source`
 * (set when the deal is created: the linked lead's source, else the deal's own attribution — see
 * `dealSource` in deals.ts). Values are per currency, never summed across them.
 *
 * Cost: four queries — the rollups by funnel and day range, one index-only pass each over the
 * workspace's leads and deals (see `handoffQueries`), and the period's new deals by origin.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { funnels } from '../../db/schema';
import type { Db } from '../../db/types';
import { DEAL_ORIGINS, type DealOrigin } from '../domain/deal-origins';
import { notFound } from '../domain/errors';
import {
  HANDOFF_STEPS,
  type DailyPoint,
  type HandoffBreakdown,
  type HandoffDaily,
  type HandoffPeriod,
  type HandoffReport,
  type HandoffStep,
  type StepRow,
} from '../contract/reports';

const DAY_MS = 24 * 60 * 60 * 1000;
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Counts and values of one step, keyed by funnel × source. */
interface Cell {
  funnelId: string | null;
  source: string;
  count: number;
  values: Map<string, number>;
}

class Tally {
  readonly counts = new Map<HandoffStep, number>();
  readonly values = new Map<HandoffStep, Map<string, number>>();

  add(step: HandoffStep, cell: Cell): void {
    this.counts.set(step, (this.counts.get(step) ?? 0) + cell.count);
    if (step !== 'deals' && step !== 'won') return;
    const values = this.values.get(step) ?? new Map<string, number>();
    for (const [currency, v] of cell.values) values.set(currency, (values.get(currency) ?? 0) + v);
    this.values.set(step, values);
  }

  breakdown(): HandoffBreakdown {
    return {
      steps: HANDOFF_STEPS.map((step, i) => {
        const count = this.counts.get(step) ?? 0;
        const previous = i === 0 ? null : (this.counts.get(HANDOFF_STEPS[i - 1]!) ?? 0);
        const row: StepRow = { step, count, conversionFromPrevious: previous ? count / previous : null };
        if (step === 'deals' || step === 'won') {
          row.values = [...(this.values.get(step) ?? new Map<string, number>())]
            .map(([currency, valueMinor]) => ({ currency, valueMinor }))
            .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
        }
        return row;
      }),
    };
  }
}

/** One group of a step: funnel × source (× currency for deal steps), its count and (deal steps) value. */
type Row = { funnel_id: string | null; source: string | null; currency?: string; n: number; v?: number };
/** One group of the leads scan: both lead steps at once. */
type LeadGroup = { funnel_id: string | null; source: string; created: number; qualified: number };
/** One group of the deals scan: both deal steps at once. */
type DealGroup = {
  funnel_id: string | null;
  source: string;
  currency: string;
  created: number;
  /** Null when nothing was created in the period (sum over no rows). */
  created_v: number | null;
  won: number;
  won_v: number | null;
};

/**
 * The report's leads and deals queries. Each table is read in ONE pass over the workspace's
 * entries of a covering index (`leads_ws_handoff_idx`, `deals_ws_handoff_idx`) whose column order
 * is the grouping order, so SQLite neither reads the table rows nor sorts; both steps of a table
 * are filtered aggregates of that pass (`count(*) filter (where … in the period)`, which skips
 * the aggregate call for rows outside it). The cost is linear in the workspace's leads and deals
 * whatever the period: a year of 100k leads costs what a month does.
 */
export function handoffQueries(workspaceId: string, fromMs: number, toMs: number, funnelId?: string, source?: string) {
  const inPeriod = (column: string) => sql`${sql.raw(column)} >= ${fromMs} and ${sql.raw(column)} < ${toMs}`;
  const funnel = sql`${funnelId ? sql`and source_funnel_id = ${funnelId}` : sql``} ${source === undefined ? sql`` : sql`and source = ${source}`}`;
  // Won: closed in the period in a stage of kind 'won' (closed won, post-purchase) of this workspace.
  const won = sql`${inPeriod('closed_at')} and stage_id in (
    select s.id from pipelines p join pipeline_stages s on s.pipeline_id = p.id where p.workspace_id = ${workspaceId} and s.kind = 'won')`;
  return {
    leads: sql`
      select source_funnel_id as funnel_id, source,
             count(*) filter (where ${inPeriod('created_at')}) as created,
             count(*) filter (where ${inPeriod('qualified_at')}) as qualified
      from leads
      where workspace_id = ${workspaceId} ${funnel}
      group by source_funnel_id, source`,
    deals: sql`
      select source_funnel_id as funnel_id, source, currency,
             count(*) filter (where ${inPeriod('created_at')}) as created,
             sum(value_minor) filter (where ${inPeriod('created_at')}) as created_v,
             count(*) filter (where ${won}) as won,
             sum(value_minor) filter (where ${won}) as won_v
      from deals
      where workspace_id = ${workspaceId} ${funnel}
      group by source_funnel_id, source, currency`,
  };
}

export interface HandoffFilter {
  /** One source funnel only. */
  funnelId?: string;
  /** One source only (`''` = direct / unknown). */
  source?: string;
  /** Also the previous period's totals. */
  compare?: boolean;
}

async function scopedFunnels(db: Db, workspaceId: string, funnelId?: string) {
  const funnelRows = await db
    .select({ id: funnels.id, name: funnels.name })
    .from(funnels)
    .where(and(eq(funnels.workspaceId, workspaceId), funnelId ? eq(funnels.id, funnelId) : undefined))
    .orderBy(asc(funnels.createdAt), asc(funnels.id));
  if (funnelId && !funnelRows.length) throw notFound('Funnel');
  return funnelRows;
}

/** The period of equal length that ends the day before `period` starts. */
export function previousHandoffPeriod(period: HandoffPeriod): HandoffPeriod {
  const days = Math.round((dayStart(period.to) - dayStart(period.from)) / DAY_MS) + 1;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(dayStart(period.from) - days * DAY_MS), to: day(dayStart(period.from) - DAY_MS) };
}

/**
 * Where the period's new deals came from, per origin and currency: through the creation-time index
 * (`deals_ws_created_idx`), reading only the period's deals — origin is not in the covering index
 * of `handoffQueries`, and a deal's origin never changes, so no full pass is needed.
 */
export function handoffOriginsQuery(workspaceId: string, fromMs: number, toMs: number, funnelId?: string, source?: string) {
  return sql`
    select origin, currency, count(*) as n, sum(value_minor) as v
    from deals
    where workspace_id = ${workspaceId} and created_at >= ${fromMs} and created_at < ${toMs}
      ${funnelId ? sql`and source_funnel_id = ${funnelId}` : sql``} ${source === undefined ? sql`` : sql`and source = ${source}`}
    group by origin, currency`;
}

export async function handoffReport(
  db: Db,
  workspaceId: string,
  period: HandoffPeriod,
  filter: HandoffFilter = {},
): Promise<HandoffReport> {
  const funnelRows = await scopedFunnels(db, workspaceId, filter.funnelId);
  const [report, previous] = await Promise.all([
    handoffFor(db, workspaceId, period, funnelRows, filter),
    filter.compare ? handoffFor(db, workspaceId, previousHandoffPeriod(period), funnelRows, filter) : null,
  ]);
  return { ...report, previous: previous && { period: previous.period, totals: previous.totals } };
}

async function handoffFor(
  db: Db,
  workspaceId: string,
  period: HandoffPeriod,
  funnelRows: Array<{ id: string; name: string }>,
  { funnelId, source }: HandoffFilter,
): Promise<Omit<HandoffReport, 'previous'>> {
  const names = new Map(funnelRows.map((f) => [f.id, f.name]));
  const fromMs = dayStart(period.from);
  const toMs = dayStart(period.to) + DAY_MS;
  const queries = handoffQueries(workspaceId, fromMs, toMs, funnelId, source);

  const [visitors, leadGroups, dealGroups, origins] = await Promise.all([
    funnelRows.length
      ? db.all<Row>(sql`
          select funnel_id, source, sum(visitors) as n
          from daily_rollups
          where funnel_id in (${sql.join(
            funnelRows.map((f) => sql`${f.id}`),
            sql`, `,
          )})
            and day >= ${period.from} and day <= ${period.to} and stage = 'awareness' ${source === undefined ? sql`` : sql`and source = ${source}`}
          group by funnel_id, source`)
      : Promise.resolve([] as Row[]),
    db.all<LeadGroup>(queries.leads),
    db.all<DealGroup>(queries.deals),
    db.all<{ origin: DealOrigin; currency: string; n: number; v: number }>(
      handoffOriginsQuery(workspaceId, fromMs, toMs, funnelId, source),
    ),
  ]);
  // A group appears in a step only when something happened in it in the period (as a grouped
  // query over the period's rows would return it): zero groups of the full scans are dropped.
  const created: Row[] = [];
  const qualified: Row[] = [];
  for (const g of leadGroups) {
    if (Number(g.created) > 0) created.push({ funnel_id: g.funnel_id, source: g.source, n: Number(g.created) });
    if (Number(g.qualified) > 0) qualified.push({ funnel_id: g.funnel_id, source: g.source, n: Number(g.qualified) });
  }
  const dealsCreated: Row[] = [];
  const won: Row[] = [];
  for (const g of dealGroups) {
    const cell = { funnel_id: g.funnel_id, source: g.source, currency: g.currency };
    if (Number(g.created) > 0) dealsCreated.push({ ...cell, n: Number(g.created), v: Number(g.created_v ?? 0) });
    if (Number(g.won) > 0) won.push({ ...cell, n: Number(g.won), v: Number(g.won_v ?? 0) });
  }

  const totals = new Tally();
  const perFunnel = new Map<string | null, Tally>();
  const perSource = new Map<string, Tally>();
  const take = (step: HandoffStep, rows: Row[]) => {
    for (const r of rows) {
      const cell: Cell = {
        funnelId: r.funnel_id,
        source: r.source ?? '',
        count: Number(r.n),
        values: new Map(r.currency === undefined ? [] : [[r.currency, Number(r.v ?? 0)]]),
      };
      totals.add(step, cell);
      for (const [map, key] of [
        [perFunnel, cell.funnelId],
        [perSource, cell.source],
      ] as Array<[Map<string | null, Tally>, string | null]>) {
        let tally = map.get(key);
        if (!tally) map.set(key, (tally = new Tally()));
        tally.add(step, cell);
      }
    }
  };
  take('visitors', visitors);
  take('leads', created);
  take('qualified', qualified);
  take('deals', dealsCreated);
  take('won', won);

  const countOf = (b: HandoffBreakdown, step: HandoffStep) => b.steps.find((s) => s.step === step)!.count;
  const byCounts = (a: HandoffBreakdown, b: HandoffBreakdown) =>
    countOf(b, 'visitors') - countOf(a, 'visitors') ||
    countOf(b, 'leads') - countOf(a, 'leads') ||
    countOf(b, 'deals') - countOf(a, 'deals');
  const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

  // Every funnel of the workspace is listed (an idle one shows zeros), plus any other source funnel seen.
  for (const f of funnelRows) if (!perFunnel.has(f.id)) perFunnel.set(f.id, new Tally());
  const byFunnel = [...perFunnel]
    .map(([id, tally]) => ({ funnel: id === null ? null : { id, name: names.get(id) ?? null }, ...tally.breakdown() }))
    .sort((a, b) => byCounts(a, b) || compareText(a.funnel?.id ?? '', b.funnel?.id ?? ''));
  const bySource = [...perSource]
    .map(([source, tally]) => ({ source, ...tally.breakdown() }))
    .sort((a, b) => byCounts(a, b) || compareText(a.source, b.source));

  const totalsBreakdown = totals.breakdown();
  const dealsStep = totalsBreakdown.steps.find((s) => s.step === 'deals')!;
  dealsStep.byOrigin = DEAL_ORIGINS.map((origin) => {
    const rows = origins.filter((r) => r.origin === origin);
    return {
      origin,
      count: rows.reduce((n, r) => n + Number(r.n), 0),
      values: rows
        .map((r) => ({ currency: r.currency, valueMinor: Number(r.v ?? 0) }))
        .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0)),
    };
  });

  return {
    period,
    funnel: funnelId ? { id: funnelId, name: names.get(funnelId)! } : null,
    source: source ?? null,
    totals: totalsBreakdown,
    byFunnel,
    bySource,
  };
}

/**
 * Visitors (arrived: reached awareness), leads created and deals created per UTC day, for the
 * period and the previous one of equal length, with the handoff's funnel and source filters.
 * Three grouped queries over both periods at once: the awareness rollups, then the workspace's
 * leads and deals by their creation-time indexes.
 */
export async function handoffDaily(db: Db, workspaceId: string, period: HandoffPeriod, filter: HandoffFilter = {}): Promise<HandoffDaily> {
  const { funnelId, source } = filter;
  const funnelRows = await scopedFunnels(db, workspaceId, funnelId);
  const previous = previousHandoffPeriod(period);
  const fromMs = dayStart(previous.from);
  const toMs = dayStart(period.to) + DAY_MS;
  const bySource = source === undefined ? sql`` : sql`and source = ${source}`;
  const byFunnel = funnelId ? sql`and source_funnel_id = ${funnelId}` : sql``;
  type PerDay = { d: number | string; n: number };
  const [visitors, leadDays, dealDays] = await Promise.all([
    funnelRows.length
      ? db.all<PerDay>(sql`
          select day as d, sum(visitors) as n from daily_rollups
          where funnel_id in (${sql.join(
            funnelRows.map((f) => sql`${f.id}`),
            sql`, `,
          )}) and day >= ${previous.from} and day <= ${period.to} and stage = 'awareness' ${bySource}
          group by day`)
      : Promise.resolve([] as PerDay[]),
    db.all<PerDay>(sql`
      select created_at / ${DAY_MS} as d, count(*) as n from leads
      where workspace_id = ${workspaceId} and created_at >= ${fromMs} and created_at < ${toMs} ${byFunnel} ${bySource}
      group by d`),
    db.all<PerDay>(sql`
      select created_at / ${DAY_MS} as d, count(*) as n from deals
      where workspace_id = ${workspaceId} and created_at >= ${fromMs} and created_at < ${toMs} ${byFunnel} ${bySource}
      group by d`),
  ]);
  const dayOfIndex = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);
  const points = new Map<string, DailyPoint>();
  const point = (day: string) => {
    let p = points.get(day);
    if (!p) points.set(day, (p = { day, visitors: 0, leads: 0, deals: 0 }));
    return p;
  };
  for (const r of visitors) point(String(r.d)).visitors += Number(r.n);
  for (const r of leadDays) point(dayOfIndex(Number(r.d))).leads += Number(r.n);
  for (const r of dealDays) point(dayOfIndex(Number(r.d))).deals += Number(r.n);
  const series = (p: HandoffPeriod) => {
    const out: DailyPoint[] = [];
    for (let ms = dayStart(p.from); ms <= dayStart(p.to); ms += DAY_MS) out.push(point(dayOfIndex(ms / DAY_MS)));
    return out;
  };
  return {
    period,
    previousPeriod: previous,
    funnel: funnelId ? { id: funnelId, name: funnelRows[0]!.name } : null,
    source: source ?? null,
    days: series(period),
    previous: series(previous),
  };
}
