import { useLocation } from 'preact-iso/router';
import { api, call } from '../../api';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';
import { workspace } from '../../state';
import { useReadyMark } from './chart-card';
import { DailyChart } from './daily-chart';
import { FunnelChart } from './funnel-chart';
import { HandoffChart } from './handoff-chart';
import { PipelineChart, SalesTiles } from './pipeline-chart';
import { dashboardSearch, parseDashboardQuery, periodLabel, type DashboardQuery } from './range';
import { Filters } from './filters';
import { SourcesChart } from './sources-chart';
import './dashboard.css';

/** Set once every chart of the first load is drawn (read by test/bench/dashboard.ts). */
export const DASHBOARD_READY_MARK = 'lf:dashboard-ready';

const sourceParam = (q: DashboardQuery) => (q.source === null ? {} : { source: q.source });

/**
 * Every request starts as soon as what it needs is known: the handoff and the daily series at
 * once, a funnel's report and sections after the funnel list (unless the URL names the funnel),
 * the pipeline's stats after the pipeline list — so the slowest chain, not the sum, sets the time.
 */
async function loadDashboard(q: DashboardQuery) {
  const range = { from: q.period.from, to: q.period.to };
  const previousRange = { from: q.previous.from, to: q.previous.to };
  const handoffQuery = { ...range, ...sourceParam(q), ...(q.funnel ? { funnel: q.funnel } : {}) };
  const funnelsLoad = call(api.funnels.$get()).then((r) => r.funnels);
  const pipelinesLoad = call(api.pipelines.$get()).then((r) => r.pipelines);
  const funnelLoad = funnelsLoad.then((funnels) => funnels.find((f) => f.id === q.funnel) ?? funnels[0]);
  const pipelineLoad = pipelinesLoad.then((pipelines) => pipelines.find((p) => p.id === q.pipeline) ?? pipelines[0]);
  const forFunnel = <T,>(load: (id: string) => Promise<T>) => funnelLoad.then((f) => (f ? load(f.id) : null));
  const forPipeline = <T,>(load: (id: string) => Promise<T>) => pipelineLoad.then((p) => (p ? load(p.id) : null));
  const [funnels, pipelines, funnel, pipeline, report, sections, handoff, daily, stats, previousStats, sourcesReport] = await Promise.all([
    funnelsLoad,
    pipelinesLoad,
    funnelLoad,
    pipelineLoad,
    forFunnel((id) => call(api.funnels[':id'].report.$get({ param: { id }, query: { ...range, ...sourceParam(q) } }))),
    forFunnel((id) => call(api.funnels[':id'].sections.$get({ param: { id }, query: { ...range, ...sourceParam(q) } }))),
    call(api.handoff.$get({ query: { ...handoffQuery, compare: 'previous' } })),
    call(api.handoff.daily.$get({ query: handoffQuery })),
    forPipeline((id) => call(api.pipelines[':id'].stats.$get({ param: { id }, query: range }))),
    forPipeline((id) => call(api.pipelines[':id'].stats.$get({ param: { id }, query: previousRange }))),
    // The source selector lists every source of the funnel, whichever one is picked.
    q.source === null ? null : forFunnel((id) => call(api.funnels[':id'].report.$get({ param: { id }, query: range }))),
  ]);
  const sources = [...new Set((sourcesReport ?? report)?.bySource.map((s) => s.source) ?? [])].sort();
  return { funnels, pipelines, funnel, pipeline, report, sections, handoff, daily, stats, previousStats, sources };
}

/**
 * The workspace's numbers for a period, each against the previous period of equal length: the
 * funnel (stages, sections as people), visitors / leads / deals per day, sources, the handoff to
 * sales, pipeline value and forecast, win rate and velocity. Range and filters live in the URL.
 */
export default function Dashboard() {
  const { query, route, path } = useLocation();
  const q = parseDashboardQuery(query, Date.now());
  const key = dashboardSearch(q);
  const data = useResource(() => loadDashboard(q), [key]);
  useReadyMark(data.data !== undefined, DASHBOARD_READY_MARK);
  const go = (next: Partial<DashboardQuery>) => route(`${path}${dashboardSearch({ ...q, ...next })}`);
  const d = data.data;
  return (
    <View
      title="Dashboard"
      lede={
        <>
          {workspace.value?.name} · <span data-period>{periodLabel(q.period)}</span> compared with {periodLabel(q.previous)}
        </>
      }
    >
      <Filters query={q} onChange={go} funnels={d?.funnels ?? []} pipelines={d?.pipelines ?? []} sources={d?.sources ?? []} />
      {data.error ? <InlineError error={data.error} onRetry={data.reload} title="The dashboard did not load." /> : null}
      {!d && data.loading ? <Skeleton rows={8} label="Loading the dashboard…" /> : null}
      {d ? (
        <div class="dashboard-grid" aria-busy={data.loading}>
          {d.report && d.sections ? (
            <FunnelChart report={d.report} sections={d.sections} />
          ) : (
            <EmptyState title="No funnels yet" action={<a href="/app/funnels/new">Create a funnel</a>}>
              A funnel's visitors, stages and sources show here once it has traffic.
            </EmptyState>
          )}
          <DailyChart daily={d.daily} />
          {d.report ? <SourcesChart report={d.report} /> : null}
          <HandoffChart report={d.handoff} />
          {d.stats && d.previousStats ? (
            <>
              <PipelineChart stats={d.stats} />
              <SalesTiles stats={d.stats} previous={d.previousStats} />
            </>
          ) : (
            <EmptyState title="No pipelines yet" action={<a href="/app/pipelines">Open Pipelines</a>}>
              Pipelines hold the deals your funnels hand over to sales.
            </EmptyState>
          )}
        </div>
      ) : null}
    </View>
  );
}
