import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, ApiError, call } from '../../api';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { View } from '../../shell/view';
import { workspaceId, workspace } from '../../state';
import { DailyChart } from './daily-chart';
import { FunnelChart } from './funnel-chart';
import { HandoffChart } from './handoff-chart';
import { rememberedFirst, rememberFirst, shared, useSettled } from './load';
import { PipelineChart, SalesTiles } from './pipeline-chart';
import { dashboardSearch, parseDashboardQuery, periodLabel, type DashboardQuery } from './range';
import { Filters } from './filters';
import { SourcesChart } from './sources-chart';
import './dashboard.css';

/** Set once every chart of the first load is drawn (read by test/bench/dashboard.ts). */
export const DASHBOARD_READY_MARK = 'lf:dashboard-ready';

const sourceParam = (q: DashboardQuery) => (q.source === null ? {} : { source: q.source });
const notFound = (err: unknown) => err instanceof ApiError && err.status === 404;

/**
 * Every request of the dashboard, as a starter per card (a card's "Try again" runs its own again).
 * A funnel named in the URL is asked for at once, beside the funnel list (one deleted since falls
 * back to the first). Without one the first funnel is meant, which only the list tells: the one the
 * list put first last time in this browser is asked for at once too, and its answer kept only if
 * the list still puts it first; else (first visit, or it was deleted) the card asks when the list
 * is in. The same for the pipeline, whose stats carry the previous period too.
 */
function starters(q: DashboardQuery, ws: string | null) {
  const range = { from: q.period.from, to: q.period.to };
  const handoffQuery = { ...range, ...sourceParam(q), ...(q.funnel ? { funnel: q.funnel } : {}) };
  const funnels = shared(() => call(api.funnels.$get()).then((r) => r.funnels));
  const pipelines = shared(() => call(api.pipelines.$get()).then((r) => r.pipelines));
  const pick = <T extends { id: string }>(list: T[], id: string | null) => (list.find((x) => x.id === id) ?? list[0])?.id ?? null;
  const forOne =
    (kind: 'funnel' | 'pipeline', list: () => Promise<Array<{ id: string }>>, named: string | null) =>
    <T,>(load: (id: string) => Promise<T>) =>
    (): Promise<T | null> => {
      const first = (items: Array<{ id: string }>) => {
        const id = pick(items, null);
        rememberFirst(ws, kind, id);
        return id;
      };
      const listed = () =>
        list()
          .then((items) => (named ? pick(items, named) : first(items)))
          .then((id) => (id === null ? null : load(id)));
      if (named) {
        return load(named).catch((err: unknown) => {
          if (notFound(err)) return listed();
          throw err;
        });
      }
      const guess = rememberedFirst(ws, kind);
      if (!guess) return listed();
      return Promise.all([
        list(),
        load(guess).then(
          (data) => ({ data }),
          () => null,
        ),
      ]).then(([items, early]) => {
        const id = first(items);
        if (id === guess && early) return early.data;
        return id === null ? null : load(id);
      });
    };
  const forFunnel = forOne('funnel', funnels, q.funnel);
  const forPipeline = forOne('pipeline', pipelines, q.pipeline);
  const report = forFunnel((id) => call(api.funnels[':id'].report.$get({ param: { id }, query: { ...range, ...sourceParam(q) } })));
  return {
    funnels,
    pipelines,
    report,
    sections: forFunnel((id) => call(api.funnels[':id'].sections.$get({ param: { id }, query: { ...range, ...sourceParam(q) } }))),
    handoff: () => call(api.handoff.$get({ query: { ...handoffQuery, compare: 'previous' } })),
    daily: () => call(api.handoff.daily.$get({ query: handoffQuery })),
    stats: forPipeline((id) => call(api.pipelines[':id'].stats.$get({ param: { id }, query: { ...range, compare: 'previous' } }))),
    // The source selector lists every source of the funnel, whichever one is picked: with every
    // source shown that is the report itself (no second request), with one picked a report of all.
    allSources: q.source === null ? null : forFunnel((id) => call(api.funnels[':id'].report.$get({ param: { id }, query: range }))),
  };
}

type Starters = ReturnType<typeof starters>;
type Loads = { [K in Exclude<keyof Starters, 'allSources'>]: ReturnType<Starters[K]> } & { allSources: Loads['report'] };

/** Starts the loads of `names` (every request at once when the view first renders, not after it paints). */
function start(run: Starters, names: Array<keyof Loads>): Partial<Loads> {
  const loads: Partial<Record<keyof Loads, Promise<unknown>>> = {};
  for (const name of names) if (name !== 'allSources') loads[name] = run[name]();
  if (!run.allSources) {
    if (names.includes('report')) loads.allSources = loads.report;
  } else if (names.includes('allSources')) loads.allSources = run.allSources();
  return loads as Partial<Loads>;
}

const ALL: Array<keyof Loads> = ['funnels', 'pipelines', 'report', 'sections', 'handoff', 'daily', 'stats', 'allSources'];

/**
 * Every load of the first render. A card's answer is drawn only once the funnel and pipeline lists
 * are in: drawing a chart takes the main thread for a while, and the funnel's and pipeline's own
 * requests, which wait for those lists, must not wait for a chart as well.
 */
function begin(q: DashboardQuery, ws: string | null): { run: Starters; loads: Loads } {
  const run = starters(q, ws);
  const loads = start(run, ALL) as Loads;
  const listsIn = Promise.allSettled([loads.funnels, loads.pipelines]);
  const after = <T,>(p: Promise<T>) => listsIn.then(() => p);
  return {
    run,
    loads: { ...loads, handoff: after(loads.handoff), daily: after(loads.daily) },
  };
}

/**
 * A card that subscribes to its own answer, so one card's arrival redraws that card alone: while
 * it loads, a frame with a skeleton the size of a chart; after a failure, the error and a retry.
 */
function Card<T>(props: {
  id: string;
  title: string;
  load: Promise<T>;
  retry: () => void;
  /** Told once the card shows its numbers (the ready mark waits for every card). */
  onDrawn: (id: string) => void;
  wide?: boolean;
  rows?: number;
  children: (data: T) => JSX.Element;
}) {
  const state = useSettled(props.load);
  const drawn = state.data !== undefined;
  useEffect(() => {
    if (drawn) props.onDrawn(props.id);
  }, [drawn]);
  if (state.data !== undefined) return props.children(state.data);
  return (
    <section
      class={`panel chart-card${props.wide ? ' wide' : ''}`}
      aria-labelledby={`${props.id}-title`}
      aria-busy={!state.error}
      data-chart={props.id}
    >
      <div class="chart-head">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
      </div>
      {state.error ? (
        <InlineError error={state.error} onRetry={props.retry} title={`${props.title} did not load.`} />
      ) : (
        <Skeleton rows={props.rows ?? 6} label={`Loading ${props.title.toLowerCase()}…`} />
      )}
    </section>
  );
}

/** The filters, with the funnel, pipeline and source lists as they arrive (a card's arrival does not redraw them). */
function DashboardFilters(props: { query: DashboardQuery; onChange: (next: Partial<DashboardQuery>) => void; loads: Loads }) {
  const funnels = useSettled(props.loads.funnels);
  const pipelines = useSettled(props.loads.pipelines);
  const allSources = useSettled(props.loads.allSources);
  const sources = [...new Set(allSources.data?.bySource.map((s) => s.source) ?? [])].sort();
  return (
    <Filters
      query={props.query}
      onChange={props.onChange}
      funnels={funnels.data ?? []}
      pipelines={pipelines.data ?? []}
      sources={sources}
    />
  );
}

const CARDS = ['funnel', 'daily', 'sources', 'handoff', 'pipeline'];

/**
 * The workspace's numbers for a period, each against the previous period of equal length: the
 * funnel (stages, sections as people), visitors / leads / deals per day, sources, the handoff to
 * sales, pipeline value and forecast, win rate and velocity. Range and filters live in the URL.
 * Every request starts at once and each card draws as soon as its own numbers arrive.
 */
export default function Dashboard() {
  const { query, route, path } = useLocation();
  const q = parseDashboardQuery(query, Date.now());
  const key = `${workspaceId.value}|${dashboardSearch(q)}`;
  const started = useMemo(() => begin(q, workspaceId.value), [key]);
  const [retried, setRetried] = useState<{ of: typeof started; loads: Partial<Loads> }>({ of: started, loads: {} });
  const loads: Loads = { ...started.loads, ...(retried.of === started ? retried.loads : {}) };
  const retry =
    (...names: Array<keyof Loads>) =>
    () =>
      setRetried((r) => ({
        of: started,
        loads: { ...(r.of === started ? r.loads : {}), ...start(started.run, names) },
      }));
  // The funnel card needs both of its answers; one promise per pair, so it keeps its identity across renders.
  const funnelLoad = useMemo(() => Promise.all([loads.report, loads.sections]), [loads.report, loads.sections]);
  const drawn = useRef(new Set<string>());
  const [markReady] = useState(() => (id: string) => {
    drawn.current.add(id);
    if (CARDS.every((c) => drawn.current.has(c)))
      requestAnimationFrame(() => {
        if (!performance.getEntriesByName(DASHBOARD_READY_MARK).length) performance.mark(DASHBOARD_READY_MARK);
      });
  });
  const go = (next: Partial<DashboardQuery>) => route(`${path}${dashboardSearch({ ...q, ...next })}`);
  return (
    <View
      title="Dashboard"
      lede={
        <>
          {workspace.value?.name} · <span data-period>{periodLabel(q.period)}</span> compared with {periodLabel(q.previous)}
        </>
      }
    >
      <DashboardFilters query={q} onChange={go} loads={loads} />
      <div class="dashboard-grid">
        <Card id="funnel" title="Funnel" wide rows={8} load={funnelLoad} retry={retry('report', 'sections')} onDrawn={markReady}>
          {([r, s]) =>
            r && s ? (
              <FunnelChart report={r} sections={s} />
            ) : (
              <EmptyState title="No funnels yet" action={<a href="/app/funnels/new">Create a funnel</a>}>
                A funnel's visitors, stages and sources show here once it has traffic.
              </EmptyState>
            )
          }
        </Card>
        <Card id="daily" title="Visitors, leads and deals per day" wide load={loads.daily} retry={retry('daily')} onDrawn={markReady}>
          {(d) => <DailyChart daily={d} />}
        </Card>
        <Card id="sources" title="Sources and campaigns" load={loads.report} retry={retry('report')} onDrawn={markReady}>
          {(r) => (r ? <SourcesChart report={r} /> : <></>)}
        </Card>
        <Card id="handoff" title="Funnel to pipeline handoff" load={loads.handoff} retry={retry('handoff')} onDrawn={markReady}>
          {(h) => <HandoffChart report={h} />}
        </Card>
        <Card id="pipeline" title="Pipeline value per stage" rows={5} load={loads.stats} retry={retry('stats')} onDrawn={markReady}>
          {(s) =>
            s ? (
              <>
                <PipelineChart stats={s} />
                <SalesTiles stats={s} />
              </>
            ) : (
              <EmptyState title="No pipelines yet" action={<a href="/app/pipelines">Open Pipelines</a>}>
                Pipelines hold the deals your funnels hand over to sales.
              </EmptyState>
            )
          }
        </Card>
      </div>
    </View>
  );
}
