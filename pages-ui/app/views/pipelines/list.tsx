import { api, call } from '../../api';
import { formatCount, formatTotals } from '../../format';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';

/** Every pipeline with its deal count and value, each a link to its board. */
export default function PipelineList() {
  const list = useResource(() => call(api.pipelines.$get()));
  return (
    <View title="Pipelines">
      {list.error ? <InlineError error={list.error} onRetry={list.reload} title="The pipelines did not load." /> : null}
      {!list.data && list.loading ? <Skeleton rows={3} label="Loading pipelines…" /> : null}
      {list.data?.pipelines.length === 0 ? (
        <EmptyState title="No pipelines yet" action={<a href="/api/docs">See POST /api/pipelines in the API reference</a>}>
          A pipeline holds the deals your funnels hand over to sales, stage by stage. Qualification rules create deals in it.
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
              </li>
            );
          })}
        </ul>
      ) : null}
    </View>
  );
}
