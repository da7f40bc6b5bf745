import { useEffect } from 'preact/hooks';
import { api, call } from '../../api';
import { formatCount, formatShare } from '../../format';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';
import { editable } from '../../shell/can-edit';
import { canEdit } from '../../state';

/** Set once the first list (or its empty state) is on screen: the bench's first-paint marker. */
export const FUNNELS_READY_MARK = 'lf:funnels-ready';

async function loadFunnels() {
  const [{ funnels }, stats] = await Promise.all([call(api.funnels.$get()), call(api.funnels.stats.$get({ query: {} }))]);
  const statsOf = new Map(stats.funnels.map((s) => [s.funnelId, s]));
  return { period: stats.period, funnels: funnels.map((f) => ({ ...f, stats: statsOf.get(f.id) })) };
}

/** Every funnel of the workspace with its last 30 days: visitors, leads and the conversion between them. */
export default function FunnelList() {
  const list = useResource(loadFunnels);
  const ready = list.data !== undefined;
  useEffect(() => {
    if (ready && !performance.getEntriesByName(FUNNELS_READY_MARK).length) performance.mark(FUNNELS_READY_MARK);
  }, [ready]);

  // For a viewer, the same control disabled and described by the read-only note.
  const newButton = canEdit.value ? (
    <a class="button" href="/app/funnels/new">
      New funnel
    </a>
  ) : (
    <button type="button" class="button" {...editable()}>
      New funnel
    </button>
  );
  return (
    <View title="Funnels" actions={list.data?.funnels.length ? newButton : undefined}>
      {list.error ? <InlineError error={list.error} onRetry={() => list.reload()} title="The funnels did not load." /> : null}
      {!list.data && list.loading ? <Skeleton rows={4} label="Loading funnels…" /> : null}
      {list.data && list.data.funnels.length === 0 ? (
        <EmptyState
          title="No funnels yet"
          action={
            canEdit.value ? (
              <>
                <a class="button" href="/app/funnels/new">
                  Browse templates
                </a>{' '}
                <a class="button secondary" href="/app/funnels/new?template=blank">
                  Start blank
                </a>
              </>
            ) : (
              newButton
            )
          }
        >
          A funnel is the path a visitor takes: a landing page, a form or quiz, an offer, a thank-you page. Start from a template (a quiz,
          an ebook, a webinar, a waitlist…) and make it yours, then publish it.
        </EmptyState>
      ) : null}
      {list.data && list.data.funnels.length > 0 ? (
        <table class="table stack" data-ready="funnels">
          <caption class="visually-hidden">
            Funnels, last 30 days ({list.data.period.from} to {list.data.period.to})
          </caption>
          <thead>
            <tr>
              <th scope="col">Funnel</th>
              <th scope="col" class="num">
                Visitors
              </th>
              <th scope="col" class="num">
                Leads
              </th>
              <th scope="col" class="num">
                Conversion
              </th>
              <th scope="col">Address</th>
            </tr>
          </thead>
          <tbody>
            {list.data.funnels.map((f) => (
              <tr key={f.id}>
                <th scope="row" data-label="Funnel">
                  <a href={`/app/funnels/${f.id}`}>{f.name}</a>
                </th>
                <td class="num" data-label="Visitors">
                  {formatCount(f.stats?.visitors ?? 0)}
                </td>
                <td class="num" data-label="Leads">
                  {formatCount(f.stats?.leads ?? 0)}
                </td>
                <td class="num" data-label="Conversion">
                  {formatShare(f.stats?.conversion ?? null)}
                </td>
                <td data-label="Address">
                  <a href={`/p/${f.slug}`} target="_blank" rel="noopener">
                    /p/{f.slug}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.data && list.data.funnels.length > 0 ? (
        <p class="muted">
          Last 30 days, {list.data.period.from} to {list.data.period.to}. Conversion is leads ÷ visitors.
        </p>
      ) : null}
    </View>
  );
}
