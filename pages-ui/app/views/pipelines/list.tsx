import { useLocation } from 'preact-iso/router';
import { useState } from 'preact/hooks';
import { api, call } from '../../api';
import { formatCount, formatTotals } from '../../format';
import { editable } from '../../shell/can-edit';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { View } from '../../shell/view';
import { NewPipelineDialog } from './new-pipeline';

/** Every pipeline with its deal count and value, each a link to its board; "New pipeline" starts one from a template. */
export default function PipelineList() {
  const list = useResource(() => call(api.pipelines.$get()));
  const [creating, setCreating] = useState(false);
  const { route } = useLocation();
  const edit = editable();
  const newButton = (
    <button type="button" class="button" onClick={() => setCreating(true)} {...edit}>
      New pipeline
    </button>
  );
  return (
    <View title="Pipelines" actions={newButton}>
      {list.error ? <InlineError error={list.error} onRetry={list.reload} title="The pipelines did not load." /> : null}
      {!list.data && list.loading ? <Skeleton rows={3} label="Loading pipelines…" /> : null}
      {list.data?.pipelines.length === 0 ? (
        <EmptyState title="No pipelines yet" action={edit.disabled ? undefined : newButton}>
          A pipeline holds the deals your funnels hand over to sales, stage by stage. Start from the B2B or B2C template, or a blank one.
        </EmptyState>
      ) : null}
      {list.data?.pipelines.length ? (
        <ul class="cards">
          {list.data.pipelines.map((p) => {
            const deals = p.stages.reduce((n, s) => n + s.dealCount, 0);
            const totals = new Map<string, number>();
            for (const s of p.stages) for (const t of s.totals) totals.set(t.currency, (totals.get(t.currency) ?? 0) + t.valueMinor);
            return (
              <li key={p.id} class="card">
                <h2>
                  <a href={`/app/pipelines/${p.id}`}>{p.name}</a>
                </h2>
                <p>
                  {formatCount(deals)} {deals === 1 ? 'deal' : 'deals'} worth{' '}
                  {formatTotals([...totals].map(([currency, valueMinor]) => ({ currency, valueMinor })))}
                </p>
                <p class="muted">{p.stages.map((s) => s.name).join(' → ')}</p>
                <p>
                  <a href={`/app/pipelines/${p.id}/settings`} aria-label={`Stages and settings of ${p.name}`}>
                    Stages and settings
                  </a>
                </p>
              </li>
            );
          })}
        </ul>
      ) : null}
      {creating ? (
        <NewPipelineDialog
          onClose={() => setCreating(false)}
          onCreated={(p) => {
            setCreating(false);
            toast(`Pipeline “${p.name}” created`);
            route(`/app/pipelines/${p.id}`);
          }}
        />
      ) : null}
    </View>
  );
}
