import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, type ApiError, call } from '../../api';
import { formatCount, formatDate } from '../../format';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';

const PAGE = 50;

/** Every lead of the workspace, newest first, searchable by email and name (the search is in the URL). */
export default function LeadList() {
  const { query, route, path } = useLocation();
  const q = query.q ?? '';
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);
  const first = useResource(() => call(api.leads.$get({ query: { q: q || undefined, limit: String(PAGE) } })), [q]);
  const [more, setMore] = useState<{ leads: NonNullable<typeof first.data>['leads']; nextCursor: string | null }>({
    leads: [],
    nextCursor: null,
  });
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  useEffect(() => setMore({ leads: [], nextCursor: first.data?.nextCursor ?? null }), [first.data]);

  const leads = first.data ? [...first.data.leads, ...more.leads] : [];
  const loadMore = async () => {
    if (!more.nextCursor) return;
    setMoreError(null);
    try {
      const page = await call(api.leads.$get({ query: { q: q || undefined, cursor: more.nextCursor, limit: String(PAGE) } }));
      setMore((m) => ({ leads: [...m.leads, ...page.leads], nextCursor: page.nextCursor }));
    } catch (err) {
      setMoreError(err as ApiError);
    }
  };

  return (
    <View title="Leads" lede="Everyone who gave their email through a funnel, an embedded form, an import or your store.">
      <form
        role="search"
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          const value = search.trim();
          route(value ? `${path}?q=${encodeURIComponent(value)}` : path);
        }}
      >
        <label for="lead-search">Search leads</label>
        <div class="search-row">
          <input
            id="lead-search"
            type="search"
            value={search}
            placeholder="Email or name"
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <button type="submit" class="button">
            Search
          </button>
        </div>
      </form>
      {first.error ? <InlineError error={first.error} onRetry={first.reload} title="The leads did not load." /> : null}
      {!first.data && first.loading ? <Skeleton rows={6} label="Loading leads…" /> : null}
      {first.data && leads.length === 0 ? (
        q ? (
          <EmptyState title={`No leads match “${q}”`} action={<a href={path}>Show all leads</a>}>
            Search looks at email addresses and names.
          </EmptyState>
        ) : (
          <EmptyState title="No leads yet" action={<a href="/app/funnels">Go to your funnels</a>}>
            Leads arrive when visitors fill a form, a quiz or a chat capture on a published page. Publish a funnel and share its link.
          </EmptyState>
        )
      ) : null}
      {leads.length ? (
        <table class="table stack">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col" class="num">
                Score
              </th>
              <th scope="col">Source</th>
              <th scope="col">Added</th>
            </tr>
          </thead>
          <tbody>
            {leads.map((l) => (
              <tr key={l.id}>
                <th scope="row" data-label="Email">
                  {l.email}
                </th>
                <td data-label="Name">{l.name ?? '—'}</td>
                <td class="num" data-label="Score">
                  {formatCount(l.score)}
                </td>
                <td data-label="Source">{l.source || 'direct'}</td>
                <td data-label="Added">{formatDate(l.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {moreError ? <InlineError error={moreError} onRetry={() => void loadMore()} /> : null}
      {more.nextCursor ? (
        <button type="button" class="button secondary" onClick={() => void loadMore()}>
          Show {PAGE} more
        </button>
      ) : null}
    </View>
  );
}
