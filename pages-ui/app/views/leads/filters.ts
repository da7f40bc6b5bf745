/**
 * The leads table's state lives in the URL query: search, filters and sort. Reading it back is
 * forgiving (an unknown or malformed value is dropped, never an error page), writing it is
 * canonical (defaults left out, keys in one order), so a link someone shares, a reload and the
 * back button all show the same list.
 */
import { FUNNEL_STAGES, LEAD_SORTS, type FunnelStage, type LeadSort } from '../../../../workers/contract/leads';

export const LEAD_STAGES = FUNNEL_STAGES;
export type LeadStage = FunnelStage;

/** The query the leads list and its CSV export take, as strings in a URL. */
export interface LeadTableQuery {
  q?: string;
  funnel?: string;
  stage?: LeadStage;
  qualified?: 'yes' | 'no';
  source?: string;
  from?: string;
  to?: string;
  sort: SortKey;
  dir: SortDir;
}

/** The sorts the leads API offers, each a keyset walk on the server. */
export const SORT_KEYS = LEAD_SORTS;
export type SortKey = LeadSort;
export type SortDir = 'asc' | 'desc';

export interface LeadFilters {
  q: string;
  funnel: string;
  stage: LeadStage | '';
  qualified: 'yes' | 'no' | '';
  source: string;
  /** UTC days, inclusive: YYYY-MM-DD. */
  from: string;
  to: string;
  sort: SortKey;
  dir: SortDir;
}

export const DEFAULT_FILTERS: LeadFilters = {
  q: '',
  funnel: '',
  stage: '',
  qualified: '',
  source: '',
  from: '',
  to: '',
  sort: 'created',
  dir: 'desc',
};

/** The order a column sorts in on its first click: newest, most recently active, highest score, A→Z. */
export const FIRST_DIR: Record<SortKey, SortDir> = { created: 'desc', activity: 'desc', score: 'desc', email: 'asc' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar day: 2026-02-30 parses (and rolls over to March), so the day must survive the round trip. */
function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}
const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined =>
  values.includes(value as T) ? (value as T) : undefined;
const text = (value: string | undefined, max: number) => (value ?? '').trim().slice(0, max);

/** The filters a URL query stands for; anything unknown or malformed falls back to the default. */
export function parseLeadFilters(query: Record<string, string | undefined>): LeadFilters {
  const sort = oneOf(SORT_KEYS, query.sort) ?? DEFAULT_FILTERS.sort;
  let from = isDay(query.from ?? '') ? query.from! : '';
  let to = isDay(query.to ?? '') ? query.to! : '';
  // A range typed backwards is still the range that was meant.
  if (from && to && from > to) [from, to] = [to, from];
  return {
    q: text(query.q, 200),
    funnel: text(query.funnel, 64),
    stage: oneOf(LEAD_STAGES, query.stage) ?? '',
    qualified: oneOf(['yes', 'no'] as const, query.qualified) ?? '',
    source: text(query.source, 200),
    from,
    to,
    sort,
    dir: oneOf(['asc', 'desc'] as const, query.dir) ?? (query.sort === undefined ? DEFAULT_FILTERS.dir : FIRST_DIR[sort]),
  };
}

/** The canonical query for `filters`: only what differs from the defaults, always in the same key order. */
export function filtersToQuery(filters: LeadFilters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of ['q', 'funnel', 'stage', 'qualified', 'source', 'from', 'to'] as const) {
    const value = filters[key].trim();
    if (value) query[key] = value;
  }
  if (filters.sort !== DEFAULT_FILTERS.sort || filters.dir !== DEFAULT_FILTERS.dir) {
    query.sort = filters.sort;
    query.dir = filters.dir;
  }
  return query;
}

/** `?q=…&stage=…` for `filters` ('' when everything is the default). */
export function filtersToSearch(filters: LeadFilters): string {
  const params = new URLSearchParams(filtersToQuery(filters));
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** How many filters narrow the list (search and sort not counted). */
export function activeFilterCount(filters: LeadFilters): number {
  return (['funnel', 'stage', 'qualified', 'source', 'from', 'to'] as const).filter((key) => filters[key] !== '').length;
}

/** Whether the list shows fewer leads than the workspace has: any filter or a search. */
export function isNarrowed(filters: LeadFilters): boolean {
  return activeFilterCount(filters) > 0 || filters.q !== '';
}

/** Every filter and the search cleared; the sort stays as chosen. */
export function clearedFilters(filters: LeadFilters): LeadFilters {
  return { ...DEFAULT_FILTERS, sort: filters.sort, dir: filters.dir };
}

/** A click on a column header: the same column flips its direction, another starts at its natural one. */
export function sortBy(filters: LeadFilters, key: SortKey): LeadFilters {
  const dir = filters.sort === key ? (filters.dir === 'asc' ? 'desc' : 'asc') : FIRST_DIR[key];
  return { ...filters, sort: key, dir };
}

/** The leads API's query for `filters`: the table, its count and its CSV take the same one (routes/api/leads.ts). */
export function toApiQuery(filters: LeadFilters): LeadTableQuery {
  const query: LeadTableQuery = { sort: filters.sort, dir: filters.dir };
  if (filters.q) query.q = filters.q;
  if (filters.funnel) query.funnel = filters.funnel;
  if (filters.stage) query.stage = filters.stage;
  if (filters.qualified) query.qualified = filters.qualified;
  if (filters.source) query.source = filters.source;
  if (filters.from) query.from = filters.from;
  if (filters.to) query.to = filters.to;
  return query;
}

/** What the API calls a lead without a first-touch source (the "Direct" choice of the source filter). */
export const NO_SOURCE = '(none)';
