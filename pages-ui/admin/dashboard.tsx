import { Page } from './layout';
import { formatMoney } from '../format';
import { FunnelSummary } from './funnel-summary';
import type { FunnelReport } from '../../workers/services/funnel-report';

interface StageView {
  id: string;
  name: string;
  kind: string;
  winProbability: number;
  deals: Array<{ id: string; name: string; valueMinor: number; currency: string }>;
}

export interface DashboardProps {
  user: { name: string; email: string };
  workspaces: Array<{ id: string; name: string; role: string }>;
  current: { id: string; name: string; role: string };
  pipelines: Array<{ id: string; name: string; stages: StageView[] }>;
  funnels?: Array<{ report: FunnelReport; publicUrl: string }>;
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
      {props.funnels?.map((f) => <FunnelSummary report={f.report} publicUrl={f.publicUrl} />)}
      {props.pipelines.length === 0 ? (
        <div class="card">
          <h2>No pipelines yet</h2>
          <p class="muted">Pipelines hold the deals your funnels hand over to sales.</p>
        </div>
      ) : (
        props.pipelines.map((p) => <PipelineBoard pipeline={p} />)
      )}
    </Page>
  );
}

function PipelineBoard({ pipeline }: { pipeline: DashboardProps['pipelines'][number] }) {
  return (
    <section class="card" aria-labelledby={`p-${pipeline.id}`}>
      <h2 id={`p-${pipeline.id}`}>{pipeline.name}</h2>
      <div class="board">
        {pipeline.stages.map((s) => {
          const total = s.deals.reduce((sum, d) => sum + d.valueMinor, 0);
          const currency = s.deals[0]?.currency ?? 'USD';
          return (
            <div class="column">
              <div class="kind">{s.kind === 'open' ? `${s.winProbability}% win` : s.kind}</div>
              <h3>{s.name}</h3>
              <div class="meta">
                {s.deals.length} {s.deals.length === 1 ? 'deal' : 'deals'} · {formatMoney(total, currency)}
              </div>
              {s.deals.length === 0 ? <p class="empty">No deals</p> : null}
              {s.deals.map((d) => (
                <div class="deal">
                  <strong>{d.name}</strong>
                  <div>{formatMoney(d.valueMinor, d.currency)}</div>
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </section>
  );
}
