import { Page } from './layout';
import { formatTotals } from '../format';
import { FunnelSummary } from './funnel-summary';
import type { FunnelReport, HandoffReport } from '../../workers/contract';

interface StageSummary {
  id: string;
  name: string;
  kind: string;
  winProbability: number;
  dealCount: number;
  totals: Array<{ currency: string; valueMinor: number }>;
}

export interface DashboardProps {
  user: { name: string; email: string };
  workspaces: Array<{ id: string; name: string; role: string }>;
  current: { id: string; name: string; role: string };
  pipelines: Array<{ id: string; name: string; stages: StageSummary[] }>;
  funnels?: Array<{ report: FunnelReport; publicUrl: string }>;
  handoff?: HandoffReport;
}

export function DashboardPage(props: DashboardProps) {
  return (
    <Page title={props.current.name} user={props.user}>
      <div class="card">
        <h1>{props.current.name}</h1>
        <p class="muted">
          Signed in as {props.user.email} · your role: {props.current.role}
        </p>
        {props.workspaces.length > 1 ? (
          <form method="get" action="/app">
            <label for="workspace">Switch workspace</label>
            <select id="workspace" name="workspace">
              {props.workspaces.map((w) => (
                <option value={w.id} selected={w.id === props.current.id}>
                  {w.name} ({w.role})
                </option>
              ))}
            </select>
            <button type="submit">Open</button>
          </form>
        ) : null}
      </div>
      {props.funnels?.map((f) => (
        <FunnelSummary report={f.report} publicUrl={f.publicUrl} />
      ))}
      {props.handoff ? <HandoffSummary report={props.handoff} /> : null}
      {props.pipelines.length === 0 ? (
        <div class="card">
          <h2>No pipelines yet</h2>
          <p class="muted">Pipelines hold the deals your funnels hand over to sales.</p>
        </div>
      ) : (
        props.pipelines.map((p) => <PipelineSummary pipeline={p} />)
      )}
    </Page>
  );
}

/** Deals and value per stage, with the way into the board where deals are worked. */
function PipelineSummary({ pipeline }: { pipeline: DashboardProps['pipelines'][number] }) {
  return (
    <section class="card" aria-labelledby={`p-${pipeline.id}`}>
      <h2 id={`p-${pipeline.id}`}>{pipeline.name}</h2>
      <table class="funnel">
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Deals</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {pipeline.stages.map((s) => (
            <tr>
              <th scope="row">
                {s.name} <span class="kind">{s.kind === 'open' ? `${s.winProbability}% win` : s.kind}</span>
              </th>
              <td>{s.dealCount}</td>
              <td>{formatTotals(s.totals)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <a class="button" href={`/app/pipelines/${pipeline.id}`}>
        Open the {pipeline.name} board
      </a>
    </section>
  );
}

const STEP_LABELS: Record<string, string> = {
  visitors: 'Visitors',
  leads: 'Leads',
  qualified: 'Qualified',
  deals: 'Deals created',
  won: 'Won',
};

/** The handoff from marketing to sales: how many of the funnel's visitors became leads, qualified, deals and wins. */
function HandoffSummary({ report }: { report: HandoffReport }) {
  return (
    <section class="card" aria-labelledby="handoff">
      <h2 id="handoff">Funnel to pipeline handoff</h2>
      <p class="muted">
        {report.period.from} to {report.period.to}
      </p>
      <table class="funnel">
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Count</th>
            <th scope="col">From previous</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {report.totals.steps.map((s) => (
            <tr>
              <th scope="row">{STEP_LABELS[s.step] ?? s.step}</th>
              <td>{s.count}</td>
              <td>{s.conversionFromPrevious === null ? '—' : `${(s.conversionFromPrevious * 100).toFixed(1)}%`}</td>
              <td>{s.values ? formatTotals(s.values) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
