import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import type { LeadFacets, LeadListItem } from '../../../../workers/contract';
import { api, call } from '../../api';
import { formatCount } from '../../format';
import { useCursorPages } from '../../shell/cursor-pages';
import { DateRangeFilter } from '../../shell/date-range-filter';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';
import { workspaceId } from '../../state';
import {
  activeFilterCount,
  clearedFilters,
  filtersToSearch,
  isNarrowed,
  LEAD_STAGES,
  NO_SOURCE,
  parseLeadFilters,
  sortBy,
  SORT_KEYS,
  toApiQuery,
  type LeadFilters,
  type SortKey,
} from './filters';
import { formatDateTime, formatShortDate, STAGE_LABELS, stageLabel } from './labels';
import './leads.css';

const PAGE_SIZE = 50;

const SORT_LABELS: Record<SortKey, string> = {
  created: 'Date added',
  activity: 'Last active',
  score: 'Score',
  email: 'Email',
};

/** What only the first page of a search says: how many leads match. */
interface Count {
  total: number;
  /** A search matched more than the server counts: `total` means "this many or more". */
  atLeast: boolean;
}

/**
 * Every lead of the workspace: search, filters and sort in the URL (a reload, Back and a shared
 * link show the same list), keyset paging with "Load more", the count, and the CSV of exactly
 * what the filters show. On a phone the table is a list of cards.
 */
export default function LeadList() {
  const { query, route, path } = useLocation();
  const filters = parseLeadFilters(query);
  const key = filtersToSearch(filters);
  const leads = useCursorPages<LeadListItem, Count>(
    async (cursor) => {
      const page = await call(
        api.leads.$get({ query: { ...toApiQuery(filters), limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) } }),
      );
      return {
        items: page.leads,
        nextCursor: page.nextCursor,
        summary: { total: page.total ?? page.leads.length, atLeast: page.totalIsAtLeast },
      };
    },
    [key],
    { keepWhileLoading: true },
  );
  const facets = useResource(() => call(api.leads.facets.$get({ query: {} })));

  const go = (next: LeadFilters) => route(`${path}${filtersToSearch(next)}`);

  const rows = leads.items;
  const count = leads.summary;
  const stale = leads.stale;
  const narrowed = isNarrowed(filters);
  const exportHref = exportUrl(filters);
  const countText = count
    ? `${formatCount(count.total)}${count.atLeast ? '+' : ''} ${count.total === 1 ? 'lead' : 'leads'}${narrowed ? ' match' : ''}`
    : undefined;

  return (
    <View
      title="Leads"
      lede="Everyone who gave their email through a funnel, an embedded form, an import or your store."
      actions={
        <a class="button secondary" href={exportHref} download>
          Export CSV<span class="visually-hidden"> of the {narrowed ? 'filtered' : ''} leads</span>
        </a>
      }
    >
      <Toolbar filters={filters} facets={facets.data} onChange={go} />
      <p class="lead-count" role="status" aria-live="polite">
        {countText ?? ''}
        {count && rows.length < count.total ? <span class="muted"> · showing {formatCount(rows.length)}</span> : null}
        {stale ? <span class="muted"> · updating…</span> : null}
      </p>
      {leads.error ? <InlineError error={leads.error} onRetry={leads.reload} title="The leads did not load." /> : null}
      {!leads.loaded && leads.loading ? <Skeleton rows={8} label="Loading leads…" /> : null}
      {leads.loaded && rows.length === 0 && !leads.error ? (
        narrowed ? (
          <EmptyState
            title="No lead matches these filters"
            action={
              <button type="button" class="button" onClick={() => go(clearedFilters(filters))}>
                Clear filters
              </button>
            }
          >
            {filters.q ? `Nothing matches “${filters.q}” with the filters set. ` : ''}Widen the dates, pick another stage or source, or
            clear the filters to see every lead.
          </EmptyState>
        ) : (
          <EmptyState title="No leads yet" action={<a href="/app/funnels">Go to your funnels</a>}>
            Leads arrive when visitors fill a form, a quiz or a chat on a published page. Publish a funnel’s pages, then share its link (or
            embed its form on your site): every email left there shows up here, with the visitor’s journey.
          </EmptyState>
        )
      ) : null}
      {rows.length ? <LeadTable rows={rows} filters={filters} onSort={(k) => go(sortBy(filters, k))} stale={stale} /> : null}
      {leads.moreError ? <InlineError error={leads.moreError} onRetry={leads.loadMore} /> : null}
      {leads.hasMore ? (
        <div class="load-more">
          <button type="button" class="button secondary" onClick={leads.loadMore} disabled={leads.moreBusy}>
            {leads.moreBusy ? 'Loading…' : `Load ${PAGE_SIZE} more`}
          </button>
        </div>
      ) : null}
    </View>
  );
}

/** The CSV of exactly these filters and this sort, from the export endpoint; a link carries the workspace in the query (no header). */
function exportUrl(filters: LeadFilters): string {
  const url = api.leads['export.csv'].$url({ query: toApiQuery(filters) });
  if (workspaceId.value) url.searchParams.set('workspace', workspaceId.value);
  return `${url.pathname}${url.search}`;
}

function Toolbar(props: { filters: LeadFilters; facets: LeadFacets | undefined; onChange: (f: LeadFilters) => void }) {
  const { filters, facets, onChange } = props;
  const [search, setSearch] = useState(filters.q);
  useEffect(() => setSearch(filters.q), [filters.q]);
  const set = (patch: Partial<LeadFilters>) => onChange({ ...filters, ...patch });
  const count = activeFilterCount(filters);
  // Open on a wide screen; on a phone folded away so the first leads are on screen, unless filters are on.
  const [filtersOpen, setFiltersOpen] = useState(() => count > 0 || matchMedia('(min-width: 40.01rem)').matches);

  return (
    <div class="lead-toolbar">
      <form
        role="search"
        class="lead-search"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: search.trim() });
        }}
      >
        <label for="lead-search">Search leads</label>
        <div class="search-row">
          <input
            id="lead-search"
            type="search"
            value={search}
            placeholder="Email, name or company"
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <button type="submit" class="button">
            Search
          </button>
        </div>
      </form>
      <details class="filter-box" open={filtersOpen} onToggle={(e) => setFiltersOpen(e.currentTarget.open)}>
        <summary>Filters and sort{count ? <span class="filter-count"> ({count} on)</span> : null}</summary>
        <fieldset class="lead-filters">
          <legend class="visually-hidden">Filters and sort</legend>
          <div class="filter">
            <label for="filter-funnel">Funnel</label>
            <select id="filter-funnel" value={filters.funnel} onChange={(e) => set({ funnel: e.currentTarget.value })}>
              <option value="">All funnels</option>
              {facets?.funnels
                .filter((f) => f.id !== null)
                .map((f) => (
                  <option key={f.id} value={f.id!}>
                    {f.name ?? 'Deleted funnel'} ({formatCount(f.leads)})
                  </option>
                ))}
              {filters.funnel && !facets?.funnels.some((f) => f.id === filters.funnel) ? (
                <option value={filters.funnel}>This funnel</option>
              ) : null}
            </select>
          </div>
          <div class="filter">
            <label for="filter-stage">Furthest stage</label>
            <select id="filter-stage" value={filters.stage} onChange={(e) => set({ stage: e.currentTarget.value as LeadFilters['stage'] })}>
              <option value="">Any stage</option>
              {LEAD_STAGES.map((s) => {
                const n = facets?.stages.find((f) => f.stage === s)?.leads;
                return (
                  <option key={s} value={s}>
                    {STAGE_LABELS[s]}
                    {n !== undefined ? ` (${formatCount(n)})` : ''}
                  </option>
                );
              })}
            </select>
          </div>
          <div class="filter">
            <label for="filter-qualified">Qualified</label>
            <select
              id="filter-qualified"
              value={filters.qualified}
              onChange={(e) => set({ qualified: e.currentTarget.value as LeadFilters['qualified'] })}
            >
              <option value="">Everyone</option>
              <option value="yes">Qualified{facets ? ` (${formatCount(facets.qualified.yes)})` : ''}</option>
              <option value="no">Not qualified{facets ? ` (${formatCount(facets.qualified.no)})` : ''}</option>
            </select>
          </div>
          <div class="filter">
            <label for="filter-source">Source</label>
            <select id="filter-source" value={filters.source} onChange={(e) => set({ source: e.currentTarget.value })}>
              <option value="">All sources</option>
              {facets?.sources.map((s) => (
                <option key={s.source} value={s.source || NO_SOURCE}>
                  {s.source || 'Direct (no UTM source)'} ({formatCount(s.leads)})
                </option>
              ))}
              {filters.source && !facets?.sources.some((s) => (s.source || NO_SOURCE) === filters.source) ? (
                <option value={filters.source}>{filters.source}</option>
              ) : null}
            </select>
          </div>
          <DateRangeFilter
            idPrefix="filter"
            labels={{ from: 'Added from', to: 'Added to' }}
            from={filters.from}
            to={filters.to}
            onChange={set}
          />
          <div class="filter">
            <label for="filter-sort">Sort by</label>
            <select
              id="filter-sort"
              value={`${filters.sort}:${filters.dir}`}
              onChange={(e) => {
                const [sort, dir] = e.currentTarget.value.split(':') as [SortKey, 'asc' | 'desc'];
                set({ sort, dir });
              }}
            >
              {SORT_KEYS.flatMap((k) => [
                <option key={`${k}:desc`} value={`${k}:desc`}>
                  {SORT_LABELS[k]}, {k === 'email' ? 'Z to A' : k === 'score' ? 'highest first' : 'newest first'}
                </option>,
                <option key={`${k}:asc`} value={`${k}:asc`}>
                  {SORT_LABELS[k]}, {k === 'email' ? 'A to Z' : k === 'score' ? 'lowest first' : 'oldest first'}
                </option>,
              ])}
            </select>
          </div>
          {count || filters.q ? (
            <button type="button" class="button secondary small clear-filters" onClick={() => onChange(clearedFilters(filters))}>
              Clear filters
            </button>
          ) : null}
        </fieldset>
      </details>
    </div>
  );
}

function SortHeader(props: { label: string; sortKey: SortKey; filters: LeadFilters; onSort: (k: SortKey) => void; class?: string }) {
  const active = props.filters.sort === props.sortKey;
  const dir = active ? props.filters.dir : undefined;
  return (
    <th scope="col" class={props.class} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}>
      <button type="button" class="sort-button" onClick={() => props.onSort(props.sortKey)}>
        {props.label}
        <span aria-hidden="true" class="sort-arrow">
          {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}

function LeadTable(props: { rows: LeadListItem[]; filters: LeadFilters; onSort: (k: SortKey) => void; stale: boolean }) {
  const { filters, onSort } = props;
  return (
    // Scrolls sideways inside its own box when a mid-size window cannot fit every column (focusable, so keys scroll it too).
    <div class="table-scroll" role="region" aria-label="Leads table" tabIndex={0}>
      <table class={`table stack lead-table${props.stale ? ' is-stale' : ''}`} aria-busy={props.stale}>
        <caption class="visually-hidden">Leads, sorted by {SORT_LABELS[filters.sort].toLowerCase()}</caption>
        <thead>
          <tr>
            <SortHeader label="Lead" sortKey="email" filters={filters} onSort={onSort} />
            <th scope="col">Funnel</th>
            <th scope="col">Furthest stage</th>
            <SortHeader label="Score" sortKey="score" filters={filters} onSort={onSort} class="num" />
            <th scope="col">Qualified</th>
            <th scope="col">Source</th>
            <SortHeader label="Added" sortKey="created" filters={filters} onSort={onSort} />
            <SortHeader label="Last active" sortKey="activity" filters={filters} onSort={onSort} />
          </tr>
        </thead>
        <tbody>
          {props.rows.map((l) => (
            <tr key={l.id}>
              <th scope="row" data-label="Lead" class="lead-cell">
                <a href={`/app/leads/${l.id}`}>{l.name ?? l.email}</a>
                {l.name ? <span class="muted lead-email">{l.email}</span> : null}
              </th>
              <td data-label="Funnel">{l.funnel?.name ?? '—'}</td>
              <td data-label="Furthest stage">{l.furthestStage ? <span class="tag">{stageLabel(l.furthestStage)}</span> : '—'}</td>
              <td class="num" data-label="Score">
                {formatCount(l.score)}
              </td>
              <td data-label="Qualified">
                {l.qualifiedAt ? <time dateTime={new Date(l.qualifiedAt).toISOString()}>{formatShortDate(l.qualifiedAt)}</time> : 'No'}
              </td>
              <td data-label="Source">{[l.source || 'direct', l.medium].filter(Boolean).join(' / ')}</td>
              <td data-label="Added" class="date">
                <time dateTime={new Date(l.createdAt).toISOString()} title={formatDateTime(l.createdAt)}>
                  {formatShortDate(l.createdAt)}
                </time>
              </td>
              <td data-label="Last active" class="date">
                <time dateTime={new Date(l.lastActivityAt).toISOString()} title={formatDateTime(l.lastActivityAt)}>
                  {formatShortDate(l.lastActivityAt)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
