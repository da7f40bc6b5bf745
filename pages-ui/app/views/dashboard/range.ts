/**
 * The dashboard's date range and filters, as they live in the URL (`?range=30d`, or
 * `?range=custom&from=2026-11-01&to=2026-11-27`, plus `funnel`, `source`, `pipeline`), so a
 * reload, Back and a shared link show the same numbers. Days are UTC, inclusive, as the API's.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

export const PRESETS = [
  { key: '7d', label: 'Last 7 days' },
  { key: '30d', label: 'Last 30 days' },
  { key: '90d', label: 'Last 90 days' },
  { key: 'month', label: 'This month' },
  { key: 'last-month', label: 'Last month' },
  { key: 'custom', label: 'Custom…' },
] as const;
export type PresetKey = (typeof PRESETS)[number]['key'];

export interface Period {
  from: string;
  to: string;
}

export interface DashboardQuery {
  range: PresetKey;
  period: Period;
  /** The previous period of equal length, ending the day before `period` starts. */
  previous: Period;
  funnel: string | null;
  /** null: every source; '' direct / unknown. */
  source: string | null;
  pipeline: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const isDay = (s: string | undefined): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(dayMs(s));

export function daysIn(p: Period): number {
  return Math.round((dayMs(p.to) - dayMs(p.from)) / DAY_MS) + 1;
}

export function previousOf(p: Period): Period {
  const days = daysIn(p);
  return { from: iso(dayMs(p.from) - days * DAY_MS), to: iso(dayMs(p.from) - DAY_MS) };
}

/** The period a preset covers on `today` (UTC). */
export function presetPeriod(key: Exclude<PresetKey, 'custom'>, now: number): Period {
  const today = iso(now);
  const t = new Date(now);
  switch (key) {
    case '7d':
      return { from: iso(dayMs(today) - 6 * DAY_MS), to: today };
    case '90d':
      return { from: iso(dayMs(today) - 89 * DAY_MS), to: today };
    case 'month':
      return { from: iso(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1)), to: today };
    case 'last-month':
      return { from: iso(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() - 1, 1)), to: iso(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 0)) };
    default:
      return { from: iso(dayMs(today) - 29 * DAY_MS), to: today };
  }
}

/** Reads the URL's query; anything missing or malformed falls back to the last 30 days. */
export function parseDashboardQuery(query: Record<string, string | undefined>, now: number): DashboardQuery {
  const preset = PRESETS.find((p) => p.key === query.range)?.key ?? '30d';
  let range: PresetKey = preset;
  let period: Period;
  if (
    preset === 'custom' &&
    isDay(query.from) &&
    isDay(query.to) &&
    query.from <= query.to &&
    daysIn({ from: query.from, to: query.to }) <= 366
  ) {
    period = { from: query.from, to: query.to };
  } else {
    if (preset === 'custom') range = '30d';
    period = presetPeriod(range as Exclude<PresetKey, 'custom'>, now);
  }
  return {
    range,
    period,
    previous: previousOf(period),
    funnel: query.funnel || null,
    source: query.source === undefined ? null : query.source,
    pipeline: query.pipeline || null,
  };
}

/** The URL's query for a state: only what differs from the defaults. */
export function dashboardSearch(q: Pick<DashboardQuery, 'range' | 'period' | 'funnel' | 'source' | 'pipeline'>): string {
  const params = new URLSearchParams();
  if (q.range !== '30d') params.set('range', q.range);
  if (q.range === 'custom') {
    params.set('from', q.period.from);
    params.set('to', q.period.to);
  }
  if (q.funnel) params.set('funnel', q.funnel);
  if (q.source !== null) params.set('source', q.source);
  if (q.pipeline) params.set('pipeline', q.pipeline);
  const s = params.toString();
  return s ? `?${s}` : '';
}

const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const yearFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/** "Nov 1 – Nov 27, 2026". */
export function periodLabel(p: Period): string {
  return `${dayFormat.format(dayMs(p.from))} – ${yearFormat.format(dayMs(p.to))}`;
}

export const shortDay = (day: string) => dayFormat.format(dayMs(day));
