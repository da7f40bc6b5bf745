import type { FunnelReport, HandoffReport } from '../../../../workers/contract';
import { api, call } from '../../api';
import { formatCount, formatDuration, formatShare, formatTotals } from '../../format';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';
import { session, workspace } from '../../state';

const STEP_LABELS: Record<string, string> = {
  visitors: 'Visitors',
  leads: 'Leads',
  qualified: 'Qualified',
  deals: 'Deals created',
  won: 'Won',
};

async function loadDashboard() {
  const [{ funnels }, { pipelines }, handoff] = await Promise.all([
    call(api.funnels.$get()),
    call(api.pipelines.$get()),
    call(api.handoff.$get({ query: {} })),
  ]);
  const reports = await Promise.all(
    funnels.map(async (f) => ({ report: await call(api.funnels[':id'].report.$get({ param: { id: f.id }, query: {} })), slug: f.slug })),
  );
  return { reports, pipelines, handoff };
}

/** The workspace at a glance: each funnel's stages, the handoff from funnels to sales, and every pipeline's value per stage. */
export default function Dashboard() {
  const data = useResource(loadDashboard);
  const user = session.value.user;
  return (
    <View
      title="Dashboard"
      lede={
        <>
          {workspace.value?.name} · signed in as {user.email} · your role: {workspace.value?.role}
        </>
      }
    >
      {data.error ? <InlineError error={data.error} onRetry={data.reload} title="The dashboard did not load." /> : null}
      {!data.data && data.loading ? <Skeleton rows={6} label="Loading the dashboard…" /> : null}
      {data.data ? (
        <>
          {data.data.reports.map((r) => (
            <FunnelSummary key={r.report.funnel.id} report={r.report} slug={r.slug} />
          ))}
          <HandoffSummary report={data.data.handoff} />
          {data.data.pipelines.length === 0 ? (
            <EmptyState title="No pipelines yet" action={<a href="/app/pipelines">Open Pipelines</a>}>
              Pipelines hold the deals your funnels hand over to sales.
            </EmptyState>
          ) : (
            data.data.pipelines.map((p) => <PipelineSummary key={p.id} pipeline={p} />)
          )}
        </>
      ) : null}
    </View>
  );
}

/** The funnel at a glance: visitors per stage with bars, conversion and time from the stage before. */
function FunnelSummary({ report, slug }: { report: FunnelReport; slug: string }) {
  const top = Math.max(1, report.stages[0]?.visitors ?? 0);
  const id = `f-${report.funnel.id}`;
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>Funnel: {report.funnel.name}</h2>
      <p class="muted">
        <a href={`/p/${slug}`} target="_blank" rel="noopener">
          /p/{slug}
        </a>{' '}
        · {report.period.from} to {report.period.to}
      </p>
      {report.stages[0]?.visitors === 0 ? (
        <p class="muted">No visitors in this period yet. Share the funnel's link to start filling it.</p>
      ) : (
        <table class="table stack">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Visitors</th>
              <th scope="col" class="num">
                From previous
              </th>
              <th scope="col" class="num">
                Median time
              </th>
              <th scope="col" class="num">
                Previous period
              </th>
            </tr>
          </thead>
          <tbody>
            {report.stages.map((s) => (
              <tr key={s.stage}>
                <th scope="row" data-label="Stage">
                  {s.stage}
                </th>
                <td data-label="Visitors">
                  <span class="bar-cell">
                    <span class="bar" style={{ width: `${Math.round((s.visitors / top) * 100)}%` }} aria-hidden="true" />
                    <span>{formatCount(s.visitors)}</span>
                  </span>
                </td>
                <td class="num" data-label="From previous">
                  {formatShare(s.conversionFromPrevious)}
                </td>
                <td class="num" data-label="Median time">
                  {formatDuration(s.medianMsFromPrevious)}
                </td>
                <td class="num" data-label="Previous period">
                  {formatCount(s.previousPeriodVisitors)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.bySource.length > 0 ? (
        <>
          <h3>By source</h3>
          <table class="table stack">
            <thead>
              <tr>
                <th scope="col">Source / medium / campaign</th>
                <th scope="col" class="num">
                  Awareness
                </th>
                <th scope="col" class="num">
                  Evaluation
                </th>
                <th scope="col" class="num">
                  Sale
                </th>
              </tr>
            </thead>
            <tbody>
              {report.bySource.slice(0, 8).map((s) => {
                const name = [s.source || '(direct)', s.medium, s.campaign].filter(Boolean).join(' / ');
                return (
                  <tr key={name}>
                    <th scope="row" data-label="Source">
                      {name}
                    </th>
                    <td class="num" data-label="Awareness">
                      {formatCount(s.stages.awareness)}
                    </td>
                    <td class="num" data-label="Evaluation">
                      {formatCount(s.stages.evaluation)}
                    </td>
                    <td class="num" data-label="Sale">
                      {formatCount(s.stages.sale)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

/** The handoff from marketing to sales: how many of the funnels' visitors became leads, qualified, deals and wins. */
function HandoffSummary({ report }: { report: HandoffReport }) {
  return (
    <section class="panel" aria-labelledby="handoff">
      <h2 id="handoff">Funnel to pipeline handoff</h2>
      <p class="muted">
        {report.period.from} to {report.period.to}
      </p>
      <table class="table stack">
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col" class="num">
              Count
            </th>
            <th scope="col" class="num">
              From previous
            </th>
            <th scope="col" class="num">
              Value
            </th>
          </tr>
        </thead>
        <tbody>
          {report.totals.steps.map((s) => (
            <tr key={s.step}>
              <th scope="row" data-label="Step">
                {STEP_LABELS[s.step] ?? s.step}
              </th>
              <td class="num" data-label="Count">
                {formatCount(s.count)}
              </td>
              <td class="num" data-label="From previous">
                {formatShare(s.conversionFromPrevious)}
              </td>
              <td class="num" data-label="Value">
                {s.values ? formatTotals(s.values) : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface PipelineStageSummary {
  id: string;
  name: string;
  kind: string;
  winProbability: number;
  dealCount: number;
  totals: Array<{ currency: string; valueMinor: number }>;
}

/** Deals and value per stage, with the way into the board where deals are worked. */
function PipelineSummary({ pipeline }: { pipeline: { id: string; name: string; stages: PipelineStageSummary[] } }) {
  const id = `p-${pipeline.id}`;
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>{pipeline.name}</h2>
      <table class="table stack">
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col" class="num">
              Deals
            </th>
            <th scope="col" class="num">
              Value
            </th>
          </tr>
        </thead>
        <tbody>
          {pipeline.stages.map((s) => (
            <tr key={s.id}>
              <th scope="row" data-label="Stage">
                {s.name} <span class="kind">{s.kind === 'open' ? `${s.winProbability}% win` : s.kind}</span>
              </th>
              <td class="num" data-label="Deals">
                {formatCount(s.dealCount)}
              </td>
              <td class="num" data-label="Value">
                {formatTotals(s.totals)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a class="button secondary" href={`/app/pipelines/${pipeline.id}`}>
          Open the {pipeline.name} board
        </a>
      </p>
    </section>
  );
}
