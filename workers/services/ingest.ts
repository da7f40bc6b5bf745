/**
 * Event ingest: one write transaction per batch stores the new events (a redelivered or retried
 * event id is skipped), advances each visitor's stages in every funnel the batch touches, and
 * moves the daily rollups the reports read. Used by the local group-commit buffer and by the
 * Workers queue consumer alike.
 *
 * Everything derived is order-independent (test/integration/ingest-property.test.ts): first-reach
 * times are minima, attribution is the earliest page view's touch (ties broken by the smallest
 * source/medium/campaign), a visitor's first/last touch carries its time (`at`) so a late, earlier
 * touch still wins. An event whose funnel is unknown or belongs to another workspace is stored
 * (its id is still spent) but advances nothing — one bad event must not fail the whole batch.
 */
import type { Client, InStatement, InValue, Transaction } from '@libsql/client';
import { durationBucket } from '../domain/durations';
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
}

const STAGE_COLUMNS = FUNNEL_STAGES.map((s) => `${s}_at`);
/** Rows per multi-row statement: 10 columns × 400 rows stays far below SQLite's variable limit. */
const CHUNK = 400;

interface VisitorFunnelState {
  workspaceId: string;
  progress: StageProgress;
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

export type FunnelLookup = (funnelIds: string[], tx: Transaction) => Promise<Map<string, TrackedFunnel>>;

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
  client: Client,
  events: IngestEvent[],
  receivedAt: number,
  lookupFunnels: FunnelLookup = funnelsFromSettings,
): Promise<IngestResult> {
  if (events.length === 0) return { received: 0, stored: 0 };
  const tx = await client.transaction('write');
  try {
    const fresh = await insertNewEvents(tx, events, receivedAt);
    if (fresh.length) {
      await upsertVisitors(tx, fresh);
      const funnels = await lookupFunnels([...new Set(fresh.flatMap((e) => (e.funnelId ? [e.funnelId] : [])))], tx);
      // Only a funnel of the event's own workspace: another tenant's (or a deleted) funnel id moves nothing.
      await advanceStages(
        tx,
        fresh.filter((e) => e.funnelId && funnels.get(e.funnelId)?.workspaceId === e.workspaceId),
        funnels,
      );
    }
    await tx.commit();
    return { received: events.length, stored: fresh.length };
  } catch (err) {
    await tx.rollback().catch(() => {});
    throw err;
  } finally {
    tx.close();
  }
}

async function insertNewEvents(tx: Transaction, events: IngestEvent[], receivedAt: number): Promise<IngestEvent[]> {
  // The same id twice in one batch (a beacon retried into the same flush) counts once.
  const unique = [...new Map(events.map((e) => [e.id, e])).values()];
  const inserted = new Set<string>();
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const rs = await tx.execute({
      sql: `insert into events (id, workspace_id, funnel_id, page_id, visitor_id, type, occurred_at, received_at, props)
            values ${chunk.map(() => '(?,?,?,?,?,?,?,?,?)').join(',')}
            on conflict (id) do nothing returning id`,
      args: chunk.flatMap((e) => [
        e.id,
        e.workspaceId,
        e.funnelId ?? null,
        e.pageId ?? null,
        e.visitorId,
        e.type,
        e.occurredAt,
        receivedAt,
        JSON.stringify({ ...e.props, ...(e.touch ? { touch: e.touch } : {}) }),
      ]),
    });
    for (const row of rs.rows) inserted.add(String(row.id));
  }
  return unique.filter((e) => inserted.has(e.id));
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
async function upsertVisitors(tx: Transaction, events: IngestEvent[]): Promise<void> {
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
    if (!e.touch) continue;
    const t = storedTouch(e.touch, e.occurredAt);
    if (e.occurredAt < v.firstTouchAt || (e.occurredAt === v.firstTouchAt && t < v.firstTouch))
      [v.firstTouch, v.firstTouchAt] = [t, e.occurredAt];
    if (e.occurredAt > v.lastTouchAt || (e.occurredAt === v.lastTouchAt && t < v.lastTouch))
      [v.lastTouch, v.lastTouchAt] = [t, e.occurredAt];
  }
  const rows = [...byVisitor.entries()];
  const firstAt = (table: string) => `json_extract(${table}.first_touch, '$.at')`;
  const lastAt = (table: string) => `json_extract(${table}.last_touch, '$.at')`;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await tx.execute({
      sql: `insert into visitors (id, workspace_id, first_seen_at, last_seen_at, first_touch, last_touch)
            values ${chunk.map(() => '(?,?,?,?,?,?)').join(',')}
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
      args: chunk.flatMap(([id, v]) => [id, v.workspaceId, v.first, v.last, v.firstTouch, v.lastTouch]),
    });
  }
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

async function advanceStages(tx: Transaction, events: IngestEvent[], funnels: Map<string, TrackedFunnel>): Promise<void> {
  const tracked = events.filter((e) => e.funnelId);
  const keys = [...new Set(tracked.map((e) => `${e.funnelId}\u0000${e.visitorId}`))];
  const states = await loadStates(tx, keys);
  const before = new Map([...states].map(([k, s]) => [k, { ...s, progress: { ...s.progress, reachedAt: [...s.progress.reachedAt] } }]));

  // Apply in time order within the batch; across batches the engine is order-independent.
  for (const e of [...tracked].sort((a, b) => a.occurredAt - b.occurredAt)) {
    const key = `${e.funnelId}\u0000${e.visitorId}`;
    let state = states.get(key);
    if (!state) {
      state = { workspaceId: e.workspaceId, progress: emptyProgress(), source: '', medium: '', campaign: '', touchAt: null };
      states.set(key, state);
    }
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
    const day = utcDay(at);
    const k = [funnelId, day, stage, s.source, s.medium, s.campaign].join('\u0000');
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
    const day = utcDay(at);
    const bucket = durationBucket(at - prev);
    const k = [funnelId, day, stage, bucket].join('\u0000');
    const row = durations.get(k) ?? { workspaceId: ws, funnelId, day, stage: FUNNEL_STAGES[stage]!, bucket, delta: 0 };
    row.delta += delta;
    durations.set(k, row);
  };

  const changedRows: Array<[string, VisitorFunnelState]> = [];
  for (const [key, after] of states) {
    const funnelId = key.split('\u0000')[0]!;
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
      old.touchAt === after.touchAt
    )
      continue;
    changedRows.push([key, after]);
    // Move rollup counts: out of the old (day, source) cell, into the new one.
    const moved = attributionMoved ? FUNNEL_STAGES.map((_, s) => s) : stageChanges.map((c) => c.stage);
    for (const s of moved) {
      const from = oldProgress.reachedAt[s];
      const to = after.progress.reachedAt[s];
      if (from !== null && from !== undefined && old) addRollup(after.workspaceId, funnelId, from, s, old, -1);
      if (to !== null && to !== undefined) addRollup(after.workspaceId, funnelId, to, s, after, +1);
    }
    // A stage's duration depends on it and the one before it.
    const affected = new Set(stageChanges.flatMap((c) => [c.stage, c.stage + 1]).filter((s) => s >= 1 && s < FUNNEL_STAGES.length));
    for (const s of affected) {
      addDuration(after.workspaceId, funnelId, oldProgress, s, -1);
      addDuration(after.workspaceId, funnelId, after.progress, s, +1);
    }
  }

  await writeStates(tx, changedRows);
  await writeDeltas(
    tx,
    `insert into daily_rollups (workspace_id, funnel_id, day, stage, source, medium, campaign, visitors) values %ROWS%
     on conflict (funnel_id, day, stage, source, medium, campaign) do update set visitors = daily_rollups.visitors + excluded.visitors`,
    [...rollups.values()]
      .filter((r) => r.delta !== 0)
      .map((r) => [r.workspaceId, r.funnelId, r.day, r.stage, r.source, r.medium, r.campaign, r.delta]),
  );
  await writeDeltas(
    tx,
    `insert into stage_duration_rollups (workspace_id, funnel_id, day, stage, bucket, visitors) values %ROWS%
     on conflict (funnel_id, day, stage, bucket) do update set visitors = stage_duration_rollups.visitors + excluded.visitors`,
    [...durations.values()].filter((r) => r.delta !== 0).map((r) => [r.workspaceId, r.funnelId, r.day, r.stage, r.bucket, r.delta]),
  );
}

async function loadStates(tx: Transaction, keys: string[]): Promise<Map<string, VisitorFunnelState>> {
  const states = new Map<string, VisitorFunnelState>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK).map((k) => k.split('\u0000') as [string, string]);
    const rs = await tx.execute({
      sql: `select funnel_id, visitor_id, workspace_id, ${STAGE_COLUMNS.join(', ')}, source, medium, campaign, touch_at, first_purchase_at
            from visitor_stages where (funnel_id, visitor_id) in (values ${chunk.map(() => '(?,?)').join(',')})`,
      args: chunk.flat(),
    });
    for (const row of rs.rows) {
      states.set(`${row.funnel_id}\u0000${row.visitor_id}`, {
        workspaceId: String(row.workspace_id),
        progress: {
          reachedAt: STAGE_COLUMNS.map((c) => (row[c] === null ? null : Number(row[c]))),
          firstPurchaseAt: row.first_purchase_at === null ? null : Number(row.first_purchase_at),
        },
        source: String(row.source),
        medium: String(row.medium),
        campaign: String(row.campaign),
        touchAt: row.touch_at === null ? null : Number(row.touch_at),
      });
    }
  }
  return states;
}

async function writeStates(tx: Transaction, rows: Array<[string, VisitorFunnelState]>): Promise<void> {
  const columns = [
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
  ];
  const updates = columns
    .slice(3)
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await tx.execute({
      sql: `insert into visitor_stages (${columns.join(', ')}) values ${chunk.map(() => `(${columns.map(() => '?').join(',')})`).join(',')}
            on conflict (funnel_id, visitor_id) do update set ${updates}`,
      args: chunk.flatMap(([key, s]) => {
        const [funnelId, visitorId] = key.split('\u0000') as [string, string];
        return [
          s.workspaceId,
          funnelId,
          visitorId,
          furthestStage(s.progress),
          ...s.progress.reachedAt,
          s.source,
          s.medium,
          s.campaign,
          s.touchAt,
          s.progress.firstPurchaseAt,
        ] as InValue[];
      }),
    });
  }
}

async function writeDeltas(tx: Transaction, template: string, rows: InValue[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const placeholders = chunk.map((r) => `(${r.map(() => '?').join(',')})`).join(',');
    await tx.execute({ sql: template.replace('%ROWS%', placeholders), args: chunk.flat() } satisfies InStatement);
  }
}
