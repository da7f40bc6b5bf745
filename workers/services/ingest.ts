/**
 * Event ingest: one write transaction per batch stores the new events (a redelivered or retried
 * event id is skipped), advances each visitor's stages in every funnel the batch touches, and
 * moves the daily, duration and people rollups the reports read. Used by the local group-commit
 * buffer and by the Workers queue consumer alike.
 *
 * Everything derived is order-independent (test/integration/ingest-property.test.ts): first-reach
 * times are minima, attribution is the earliest page view's touch (ties broken by the smallest
 * source/medium/campaign), a visitor's first/last touch carries its time (`at`) so a late, earlier
 * touch still wins. An event whose funnel is unknown or belongs to another workspace is stored
 * (its id is still spent) but advances nothing — one bad event must not fail the whole batch.
 */
import type { InValue } from '@libsql/client';
import type { WriteTransaction, WriteTransactions } from '../../db/prepared-writes';
import { durationBucket } from '../domain/durations';
import { EVENT_BIT } from '../domain/scoring';
import {
  applyEvent,
  changedStages,
  emptyProgress,
  FUNNEL_STAGES,
  furthestStage,
  utcDay,
  type EventType,
  type StageOverrides,
  type StageProgress,
} from '../domain/stages';

export interface Touch {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
  referrer?: string;
  landingPage?: string;
}

/** An event as it enters ingest: validated, with its visitor and workspace resolved. */
export interface IngestEvent {
  id: string;
  workspaceId: string;
  visitorId: string;
  type: EventType;
  occurredAt: number;
  funnelId?: string | null;
  pageId?: string | null;
  pageSlug?: string | null;
  /** UTM and referrer of the visit, on page views. */
  touch?: Touch | null;
  props?: Record<string, unknown>;
}

export interface IngestResult {
  received: number;
  stored: number;
  /**
   * Per workspace, the visitors whose funnel progress or seen event types changed: the caller
   * re-qualifies the ones linked to leads (services/after-ingest.ts), after this commit.
   */
  changedVisitors: Map<string, string[]>;
}

/** What ingest runs its statements on: a write transaction (its own, or a capture's). */
export type IngestStatements = Pick<WriteTransaction, 'execute'>;

const STAGE_COLUMNS = FUNNEL_STAGES.map((s) => `${s}_at`);
/** Funnel ids per lookup statement: far below SQLite's variable limit. */
const CHUNK = 400;

/**
 * A batch's rows travel as one JSON array of arrays bound to `?1`: the statement's text, and so its
 * prepare, is the same whatever the batch size, and one string binds far faster than a parameter per
 * value. Each row is rendered once (materialised) rather than once per column read: statements
 * start with BATCH and read column i as `r->>i` from `batch`.
 */
const BATCH = 'with batch(r) as materialized (select value from json_each(?1))';
const columns = (n: number) => Array.from({ length: n }, (_, i) => `r->>${i}`).join(', ');

/**
 * The JSON for a batch parameter. JSON.stringify writes a lone UTF-16 surrogate (a UTM value cut
 * at 100 characters mid-emoji, say) as an escape, which SQLite would decode into invalid UTF-8
 * that no later read can decode; it becomes U+FFFD instead, as when a string is bound directly.
 */
function batchJson(values: unknown[]): string {
  const json = JSON.stringify(values);
  // A plain substring search first: far cheaper than the regex over a batch that has none.
  if (!json.includes('\\ud') || !/\\ud[89a-f]/.test(json)) return json;
  // An odd run of backslashes ends in an escape; an even one is escaped backslashes, then text.
  return json.replace(/(\\+)u(d[89a-f][0-9a-f]{2})/g, (escape, slashes: string) =>
    slashes.length % 2 ? `${slashes.slice(1)}\ufffd` : escape,
  );
}

/**
 * Rows per batch statement, so that each statement's JSON stays in the tens of KB. A longer string
 * gets memory of its own from V8 and from the driver, and its first touch costs a page fault per
 * 4 KB: for a 1,000-event batch, flattening the one JSON text took longer than building it.
 */
const ROWS_PER_STATEMENT = 250;

/**
 * Runs a BATCH statement over `rows`, a statement per ROWS_PER_STATEMENT rows; `more` binds ?2….
 * Returns the rows it changed.
 */
async function writeRows(tx: IngestStatements, sql: string, rows: unknown[][], ...more: InValue[]): Promise<number> {
  let changed = 0;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    changed += (await tx.execute({ sql, args: [batchJson(rows.slice(i, i + ROWS_PER_STATEMENT)), ...more] })).rowsAffected;
  }
  return changed;
}

interface VisitorFunnelState {
  workspaceId: string;
  funnelId: string;
  visitorId: string;
  progress: StageProgress;
  /** EVENT_BIT of every event type seen (lead scoring reads it); OR-ed, so order-independent. */
  eventMask: number;
  source: string;
  medium: string;
  campaign: string;
  touchAt: number | null;
}

/** A funnel events can advance stages in: its owner, and its stage overrides (funnels.settings.stages). */
export interface TrackedFunnel {
  workspaceId: string;
  stages: StageOverrides;
}

export type FunnelLookup = (funnelIds: string[], tx: IngestStatements) => Promise<Map<string, TrackedFunnel>>;

/** Reads each funnel's owner and stage overrides inside the transaction; unknown ids are absent. */
export const funnelsFromSettings: FunnelLookup = async (funnelIds, tx) => {
  const result = new Map<string, TrackedFunnel>();
  for (let i = 0; i < funnelIds.length; i += CHUNK) {
    const chunk = funnelIds.slice(i, i + CHUNK);
    const rs = await tx.execute({
      sql: `select id, workspace_id, settings from funnels where id in (${chunk.map(() => '?').join(',')})`,
      args: chunk,
    });
    for (const row of rs.rows) {
      let stages: StageOverrides = {};
      try {
        const settings = JSON.parse(String(row.settings ?? '{}')) as { stages?: StageOverrides } | null;
        if (settings?.stages && typeof settings.stages === 'object') stages = settings.stages;
      } catch {
        // Unreadable settings: the default rules apply.
      }
      result.set(String(row.id), { workspaceId: String(row.workspace_id), stages });
    }
  }
  return result;
};

export async function ingestBatch(
  client: WriteTransactions,
  events: IngestEvent[],
  receivedAt: number,
  lookupFunnels: FunnelLookup = funnelsFromSettings,
): Promise<IngestResult> {
  if (events.length === 0) return { received: 0, stored: 0, changedVisitors: new Map() };
  const tx = await client.transaction('write');
  try {
    const result = await ingestWithin(tx, events, receivedAt, lookupFunnels);
    await tx.commit();
    return result;
  } catch (err) {
    await tx.rollback().catch(() => {});
    throw err;
  } finally {
    tx.close();
  }
}

/**
 * The body of `ingestBatch`, inside a write transaction the caller opened and commits: a capture
 * records its own funnel event this way, in the transaction that stores the lead (services/capture.ts).
 */
export async function ingestWithin(
  tx: IngestStatements,
  events: IngestEvent[],
  receivedAt: number,
  lookupFunnels: FunnelLookup = funnelsFromSettings,
): Promise<IngestResult> {
  const fresh = await insertNewEvents(tx, events, receivedAt);
  let changedVisitors = new Map<string, string[]>();
  if (fresh.length) {
    await upsertVisitors(tx, fresh);
    const funnelIds = new Set<string>();
    for (const e of fresh) if (e.funnelId) funnelIds.add(e.funnelId);
    const funnels = await lookupFunnels([...funnelIds], tx);
    // Only a funnel of the event's own workspace: another tenant's (or a deleted) funnel id moves nothing.
    const inOwnFunnel = fresh.filter((e) => e.funnelId && funnels.get(e.funnelId)?.workspaceId === e.workspaceId);
    changedVisitors = await advanceStages(tx, inOwnFunnel, funnels);
    await movePageRollups(tx, inOwnFunnel);
  }
  return { received: events.length, stored: fresh.length, changedVisitors };
}

/** The server-recorded captures (services/capture.ts): what a page's conversions count. */
const PAGE_CONVERSIONS: ReadonlySet<EventType> = new Set(['form_submit', 'lead_magnet_download', 'chat_email']);

/** Page views and conversions per page × day (the funnel page's per-page numbers read these). */
async function movePageRollups(tx: IngestStatements, events: IngestEvent[]): Promise<void> {
  const cells = new Map<string, [string, string, string, string, number, number]>();
  for (const e of events) {
    const view = e.type === 'page_view';
    if (!e.pageId || !(view || PAGE_CONVERSIONS.has(e.type))) continue;
    // Keyed by the day number: formatting a Date per event would cost more than the rest of this loop.
    const dayNumber = Math.floor(e.occurredAt / 86_400_000);
    const key = `${e.funnelId!}\u0000${dayNumber}\u0000${e.pageId}`;
    const cell = cells.get(key) ?? [e.workspaceId, e.funnelId!, e.pageId, utcDay(e.occurredAt), 0, 0];
    cell[view ? 4 : 5]++;
    cells.set(key, cell);
  }
  await writeRows(
    tx,
    `${BATCH} insert into page_daily_rollups (workspace_id, funnel_id, page_id, day, views, conversions)
     select ${columns(6)} from batch where true
     on conflict (funnel_id, day, page_id) do update
     set views = page_daily_rollups.views + excluded.views, conversions = page_daily_rollups.conversions + excluded.conversions`,
    [...cells.values()],
  );
}

async function insertNewEvents(tx: IngestStatements, events: IngestEvent[], receivedAt: number): Promise<IngestEvent[]> {
  // The same id twice in one batch (a beacon retried into the same flush) counts once.
  const ids = new Set<string>();
  const unique = events.filter((e) => !ids.has(e.id) && ids.add(e.id));
  // Usually every event is new, so all are inserted and an id stored before (a redelivery, a
  // retried beacon) is skipped by the conflict clause. SQLite gives a new row the table's highest
  // rowid + 1, so the rows above the highest rowid before the insert are exactly the new events:
  // only a batch with repeats reads them back. (Within this write transaction nothing else inserts.)
  const before = Number((await tx.execute('select coalesce(max(rowid), 0) from events')).rows[0]![0]);
  const inserted = await writeRows(
    tx,
    `${BATCH} insert into events (id, workspace_id, funnel_id, page_id, visitor_id, type, occurred_at, props, received_at)
     select ${columns(7)}, r->7, ?2 from batch where true on conflict (id) do nothing`,
    unique.map((e) => [e.id, e.workspaceId, e.funnelId ?? null, e.pageId ?? null, e.visitorId, e.type, e.occurredAt, storedProps(e)]),
    receivedAt,
  );
  if (inserted === unique.length) return unique;
  const added = await tx.execute({ sql: 'select json_group_array(id) from events where rowid > ?', args: [before] });
  const fresh = new Set(JSON.parse(String(added.rows[0]![0])) as string[]);
  return unique.filter((e) => fresh.has(e.id));
}

/** The stored props: the event's own, with the visit's touch (page views) as `touch`. */
function storedProps(e: IngestEvent): Record<string, unknown> {
  if (e.touch) return { ...e.props, touch: e.touch };
  return e.props ?? {};
}

const TOUCH_KEYS = ['source', 'medium', 'campaign', 'term', 'content', 'referrer', 'landingPage'] as const;

/** A touch as the visitor row stores it: `{ at, source, … }` — its time travels with it, so ingest order does not matter. */
function storedTouch(touch: Touch, at: number): string {
  const out: Record<string, string | number> = { at };
  for (const k of TOUCH_KEYS) if (typeof touch[k] === 'string') out[k] = touch[k];
  return JSON.stringify(out);
}

/**
 * First and last seen, and the first and last touch, whatever order the events arrive in: a touch
 * wins by its time; at the same millisecond the smaller stored text wins (first and last alike),
 * so the choice does not depend on which batch came first.
 */
async function upsertVisitors(tx: IngestStatements, events: IngestEvent[]): Promise<void> {
  const byVisitor = new Map<
    string,
    { workspaceId: string; first: number; last: number; firstTouch: string; firstTouchAt: number; lastTouch: string; lastTouchAt: number }
  >();
  for (const e of events) {
    let v = byVisitor.get(e.visitorId);
    if (!v) {
      v = {
        workspaceId: e.workspaceId,
        first: e.occurredAt,
        last: e.occurredAt,
        firstTouch: '{}',
        firstTouchAt: Infinity,
        lastTouch: '{}',
        lastTouchAt: -Infinity,
      };
      byVisitor.set(e.visitorId, v);
    }
    v.first = Math.min(v.first, e.occurredAt);
    v.last = Math.max(v.last, e.occurredAt);
    if (!e.touch || (e.occurredAt > v.firstTouchAt && e.occurredAt < v.lastTouchAt)) continue;
    const t = storedTouch(e.touch, e.occurredAt);
    if (e.occurredAt < v.firstTouchAt || (e.occurredAt === v.firstTouchAt && t < v.firstTouch))
      [v.firstTouch, v.firstTouchAt] = [t, e.occurredAt];
    if (e.occurredAt > v.lastTouchAt || (e.occurredAt === v.lastTouchAt && t < v.lastTouch))
      [v.lastTouch, v.lastTouchAt] = [t, e.occurredAt];
  }
  const firstAt = (table: string) => `json_extract(${table}.first_touch, '$.at')`;
  const lastAt = (table: string) => `json_extract(${table}.last_touch, '$.at')`;
  await writeRows(
    tx,
    `${BATCH} insert into visitors (id, workspace_id, first_seen_at, last_seen_at, first_touch, last_touch)
          select ${columns(6)} from batch where true
          on conflict (id) do update set
            first_touch = case
              when excluded.first_touch = '{}' then visitors.first_touch
              when visitors.first_touch = '{}' then excluded.first_touch
              when ${firstAt('excluded')} < ${firstAt('visitors')} then excluded.first_touch
              when ${firstAt('excluded')} = ${firstAt('visitors')} and excluded.first_touch < visitors.first_touch then excluded.first_touch
              else visitors.first_touch end,
            last_touch = case
              when excluded.last_touch = '{}' then visitors.last_touch
              when visitors.last_touch = '{}' then excluded.last_touch
              when ${lastAt('excluded')} > ${lastAt('visitors')} then excluded.last_touch
              when ${lastAt('excluded')} = ${lastAt('visitors')} and excluded.last_touch < visitors.last_touch then excluded.last_touch
              else visitors.last_touch end,
            first_seen_at = min(visitors.first_seen_at, excluded.first_seen_at),
            last_seen_at = max(visitors.last_seen_at, excluded.last_seen_at)`,
    [...byVisitor].map(([id, v]) => [id, v.workspaceId, v.first, v.last, v.firstTouch, v.lastTouch]),
  );
  // A known visitor's events are their lead's latest activity (the leads table sorts by it). Most
  // visitors are anonymous: one primary-key probe each finds that, and only leads' rows are written.
  await writeRows(
    tx,
    `${BATCH} update leads set last_activity_at = seen.last
     from (select v.lead_id, max(r->>1) as last from batch join visitors v on v.id = r->>0 where v.lead_id is not null group by v.lead_id) as seen
     where leads.id = seen.lead_id and coalesce(leads.last_activity_at, 0) < seen.last`,
    [...byVisitor].map(([id, v]) => [id, v.last]),
  );
}

const attributionOf = (touch: Touch | null | undefined) => ({
  source: (touch?.source ?? '').slice(0, 100),
  medium: (touch?.medium ?? '').slice(0, 100),
  campaign: (touch?.campaign ?? '').slice(0, 100),
});

/** Is (source, medium, campaign) a before b? Breaks ties between page views of the same millisecond. */
function attributionBefore(
  a: { source: string; medium: string; campaign: string },
  b: { source: string; medium: string; campaign: string },
): boolean {
  if (a.source !== b.source) return a.source < b.source;
  if (a.medium !== b.medium) return a.medium < b.medium;
  return a.campaign < b.campaign;
}

async function advanceStages(
  tx: IngestStatements,
  events: IngestEvent[],
  funnels: Map<string, TrackedFunnel>,
): Promise<Map<string, string[]>> {
  // Each event's state key, made once; `tracked` is a fresh array, so it can be sorted in place.
  const tracked = events.filter((e) => e.funnelId).map((e) => ({ e, key: stateKey(e.funnelId!, e.visitorId) }));
  const states = await loadStates(tx, [...new Map(tracked.map((t) => [t.key, t.e])).values()]);
  const before = new Map([...states].map(([k, s]) => [k, { ...s, progress: { ...s.progress, reachedAt: [...s.progress.reachedAt] } }]));
  // utcDay formats a Date; a batch spans a few days, so each is formatted once.
  const days = new Map<number, string>();
  const dayOf = (at: number): string => {
    const n = Math.floor(at / 86_400_000);
    let day = days.get(n);
    if (day === undefined) days.set(n, (day = utcDay(at)));
    return day;
  };

  // Apply in time order within the batch; across batches the engine is order-independent.
  for (const { e, key } of tracked.sort((a, b) => a.e.occurredAt - b.e.occurredAt)) {
    let state = states.get(key);
    if (!state) {
      state = {
        workspaceId: e.workspaceId,
        funnelId: e.funnelId!,
        visitorId: e.visitorId,
        progress: emptyProgress(),
        eventMask: 0,
        source: '',
        medium: '',
        campaign: '',
        touchAt: null,
      };
      states.set(key, state);
    }
    state.eventMask |= EVENT_BIT[e.type] ?? 0;
    state.progress = applyEvent(
      state.progress,
      { type: e.type, at: e.occurredAt, pageSlug: e.pageSlug ?? null },
      funnels.get(e.funnelId!)?.stages,
    );
    // Attribution is the earliest page view's UTM; a page view without one is a direct visit ('').
    if (e.type === 'page_view') {
      const touch = attributionOf(e.touch);
      if (state.touchAt === null || e.occurredAt < state.touchAt || (e.occurredAt === state.touchAt && attributionBefore(touch, state))) {
        Object.assign(state, touch, { touchAt: e.occurredAt });
      }
    }
  }

  const rollups = new Map<
    string,
    { workspaceId: string; funnelId: string; day: string; stage: string; source: string; medium: string; campaign: string; delta: number }
  >();
  const durations = new Map<string, { workspaceId: string; funnelId: string; day: string; stage: string; bucket: number; delta: number }>();
  const addRollup = (ws: string, funnelId: string, at: number, stage: number, s: VisitorFunnelState, delta: number) => {
    const day = dayOf(at);
    const k = `${funnelId}\u0000${day}\u0000${stage}\u0000${s.source}\u0000${s.medium}\u0000${s.campaign}`;
    const row = rollups.get(k) ?? {
      workspaceId: ws,
      funnelId,
      day,
      stage: FUNNEL_STAGES[stage]!,
      source: s.source,
      medium: s.medium,
      campaign: s.campaign,
      delta: 0,
    };
    row.delta += delta;
    rollups.set(k, row);
  };
  const addDuration = (ws: string, funnelId: string, progress: StageProgress, stage: number, delta: number) => {
    const at = progress.reachedAt[stage];
    const prev = progress.reachedAt[stage - 1];
    if (stage < 1 || at === null || at === undefined || prev === null || prev === undefined) return;
    const day = dayOf(at);
    const bucket = durationBucket(at - prev);
    const k = `${funnelId}\u0000${day}\u0000${stage}\u0000${bucket}`;
    const row = durations.get(k) ?? { workspaceId: ws, funnelId, day, stage: FUNNEL_STAGES[stage]!, bucket, delta: 0 };
    row.delta += delta;
    durations.set(k, row);
  };

  // The sections' people: each visitor sits in one cell (arrival day, furthest stage, source) and
  // moves when any of the three changes. Rows without an arrival or a stage are in no cell.
  const people = new Map<string, { workspaceId: string; funnelId: string; day: string; furthest: number; source: string; delta: number }>();
  const movePerson = (s: VisitorFunnelState, delta: number) => {
    const arrived = s.progress.reachedAt[0];
    const furthest = furthestStage(s.progress);
    if (arrived === null || arrived === undefined || furthest < 0) return;
    const day = dayOf(arrived);
    const k = `${s.funnelId}\u0000${day}\u0000${furthest}\u0000${s.source}`;
    const cell = people.get(k) ?? { workspaceId: s.workspaceId, funnelId: s.funnelId, day, furthest, source: s.source, delta: 0 };
    cell.delta += delta;
    people.set(k, cell);
  };

  const changedRows: VisitorFunnelState[] = [];
  for (const [key, after] of states) {
    const funnelId = after.funnelId;
    const old = before.get(key);
    const oldProgress = old?.progress ?? emptyProgress();
    const attributionMoved =
      old !== undefined && (old.source !== after.source || old.medium !== after.medium || old.campaign !== after.campaign);
    const stageChanges = changedStages(oldProgress, after.progress);
    // Nothing reached and no touch (e.g. only a form_start): no row yet. A page view switched off by
    // the funnel's overrides reaches nothing but its touch is still the attribution, so it is kept.
    if (!old && furthestStage(after.progress) < 0 && after.touchAt === null) continue;
    if (
      !attributionMoved &&
      stageChanges.length === 0 &&
      old &&
      old.progress.firstPurchaseAt === after.progress.firstPurchaseAt &&
      old.touchAt === after.touchAt &&
      old.eventMask === after.eventMask
    )
      continue;
    changedRows.push(after);
    // Move rollup counts: out of the old (day, source) cell, into the new one.
    const moved = attributionMoved ? FUNNEL_STAGES.map((_, s) => s) : stageChanges.map((c) => c.stage);
    for (const s of moved) {
      const from = oldProgress.reachedAt[s];
      const to = after.progress.reachedAt[s];
      if (from !== null && from !== undefined && old) addRollup(after.workspaceId, funnelId, from, s, old, -1);
      if (to !== null && to !== undefined) addRollup(after.workspaceId, funnelId, to, s, after, +1);
    }
    if (old) movePerson(old, -1);
    movePerson(after, +1);
    // A stage's duration depends on it and the one before it.
    const affected = new Set(stageChanges.flatMap((c) => [c.stage, c.stage + 1]).filter((s) => s >= 1 && s < FUNNEL_STAGES.length));
    for (const s of affected) {
      addDuration(after.workspaceId, funnelId, oldProgress, s, -1);
      addDuration(after.workspaceId, funnelId, after.progress, s, +1);
    }
  }

  await writeStates(tx, changedRows);
  const changedVisitors = new Map<string, string[]>();
  for (const state of changedRows) {
    const list = changedVisitors.get(state.workspaceId) ?? [];
    list.push(state.visitorId);
    changedVisitors.set(state.workspaceId, list);
  }
  await writeRows(
    tx,
    `${BATCH} insert into daily_rollups (workspace_id, funnel_id, day, stage, source, medium, campaign, visitors)
     select ${columns(8)} from batch where true
     on conflict (funnel_id, day, stage, source, medium, campaign) do update set visitors = daily_rollups.visitors + excluded.visitors`,
    [...rollups.values()]
      .filter((r) => r.delta !== 0)
      .map((r) => [r.workspaceId, r.funnelId, r.day, r.stage, r.source, r.medium, r.campaign, r.delta]),
  );
  await writeRows(
    tx,
    `${BATCH} insert into people_rollups (workspace_id, funnel_id, day, furthest_stage, source, visitors)
     select ${columns(6)} from batch where true
     on conflict (funnel_id, day, furthest_stage, source) do update set visitors = people_rollups.visitors + excluded.visitors`,
    [...people.values()].filter((c) => c.delta !== 0).map((c) => [c.workspaceId, c.funnelId, c.day, c.furthest, c.source, c.delta]),
  );
  await writeRows(
    tx,
    `${BATCH} insert into stage_duration_rollups (workspace_id, funnel_id, day, stage, bucket, visitors)
     select ${columns(6)} from batch where true
     on conflict (funnel_id, day, stage, bucket) do update set visitors = stage_duration_rollups.visitors + excluded.visitors`,
    [...durations.values()].filter((r) => r.delta !== 0).map((r) => [r.workspaceId, r.funnelId, r.day, r.stage, r.bucket, r.delta]),
  );
  return changedVisitors;
}

const stateKey = (funnelId: string, visitorId: string) => `${funnelId}\u0000${visitorId}`;

/** The stored states of these (funnel, visitor) pairs, by stateKey; pairs without one are absent. */
async function loadStates(
  tx: IngestStatements,
  pairs: Array<{ funnelId?: string | null; visitorId: string }>,
): Promise<Map<string, VisitorFunnelState>> {
  const states = new Map<string, VisitorFunnelState>();
  if (!pairs.length) return states;
  // One JSON cell for all rows: far cheaper to hand to JavaScript than a result set of rows × columns.
  const rs = await tx.execute({
    sql: `select json_group_array(json_array(s.funnel_id, s.visitor_id, s.workspace_id, ${STAGE_COLUMNS.map((c) => `s.${c}`).join(', ')},
                 s.source, s.medium, s.campaign, s.touch_at, s.first_purchase_at, s.event_mask))
          from json_each(?) k join visitor_stages s on s.funnel_id = k.value->>0 and s.visitor_id = k.value->>1`,
    args: [batchJson(pairs.map((p) => [p.funnelId, p.visitorId]))],
  });
  const n = STAGE_COLUMNS.length;
  for (const row of JSON.parse(String(rs.rows[0]![0])) as Array<Array<string | number | null>>) {
    const [funnelId, visitorId] = [String(row[0]), String(row[1])];
    states.set(stateKey(funnelId, visitorId), {
      workspaceId: String(row[2]),
      funnelId,
      visitorId,
      progress: {
        reachedAt: row.slice(3, 3 + n) as Array<number | null>,
        firstPurchaseAt: row[3 + n + 4] as number | null,
      },
      source: String(row[3 + n]),
      medium: String(row[3 + n + 1]),
      campaign: String(row[3 + n + 2]),
      touchAt: row[3 + n + 3] as number | null,
      eventMask: Number(row[3 + n + 5] ?? 0),
    });
  }
  return states;
}

async function writeStates(tx: IngestStatements, rows: VisitorFunnelState[]): Promise<void> {
  if (!rows.length) return;
  const names = [
    'workspace_id',
    'funnel_id',
    'visitor_id',
    'furthest_stage',
    ...STAGE_COLUMNS,
    'source',
    'medium',
    'campaign',
    'touch_at',
    'first_purchase_at',
    'event_mask',
  ];
  const updates = names
    .slice(3)
    .map((c) => (c === 'event_mask' ? 'event_mask = visitor_stages.event_mask | excluded.event_mask' : `${c} = excluded.${c}`))
    .join(', ');
  await writeRows(
    tx,
    `${BATCH} insert into visitor_stages (${names.join(', ')}) select ${columns(names.length)} from batch where true
     on conflict (funnel_id, visitor_id) do update set ${updates}`,
    rows.map((s) => [
      s.workspaceId,
      s.funnelId,
      s.visitorId,
      furthestStage(s.progress),
      ...s.progress.reachedAt,
      s.source,
      s.medium,
      s.campaign,
      s.touchAt,
      s.progress.firstPurchaseAt,
      s.eventMask,
    ]),
  );
}
