/**
 * Rows nobody will read again: sessions past their expiry (a lookup already refuses them),
 * rate-limit counters whose window ended long ago (a new hit on the key restarts it anyway), raw
 * events older than their workspace's retention period (the rollups every report reads stay), and
 * the raw events of deleted funnels.
 * Bounded per tick, so a backlog is cleared over a few ticks instead of in one long write.
 */
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import { deletedFunnels, rateLimitBuckets, sessions, workspaces } from '../../db/schema';
import type { Db } from '../../db/types';
import { retentionCutoff } from '../domain/privacy';

/** Longer than any limiter's window (the longest is 15 minutes): a counter this old counts nothing. */
export const STALE_COUNTER_MS = 24 * 60 * 60 * 1000;
const BATCH = 5_000;
/** Raw events deleted per tick, over all workspaces. */
export const EVENT_BATCH = 5_000;
/**
 * How long a deleted funnel stays on the list after its last event is gone: beacons from pages
 * still open, and queue retries, can bring a few more events for a while.
 */
export const LATE_EVENTS_MS = 24 * 60 * 60 * 1000;

export interface Pruned {
  sessions: number;
  rateLimitCounters: number;
}

export async function pruneExpired(db: Db, now: number): Promise<Pruned> {
  const expired = db.select({ id: sessions.id }).from(sessions).where(lt(sessions.expiresAt, now)).limit(BATCH);
  const stale = db
    .select({ key: rateLimitBuckets.key })
    .from(rateLimitBuckets)
    .where(lt(rateLimitBuckets.windowStart, now - STALE_COUNTER_MS))
    .limit(BATCH);
  const [gone, counters] = await db.batch([
    db.delete(sessions).where(inArray(sessions.id, expired)).returning({ id: sessions.id }),
    db
      .delete(rateLimitBuckets)
      .where(inArray(rateLimitBuckets.key, stale))
      .returning({ key: sql<string>`key` }),
  ]);
  return { sessions: gone.length, rateLimitCounters: counters.length };
}

/**
 * Deletes raw events that occurred before each workspace's retention cutoff (settings
 * `rawEventRetentionMonths`, 13 months by default), at most `budget` per call. Only `events` is
 * touched: visitor stages, the daily, page, people and duration rollups were moved when the events
 * arrived, so every report of an old period reads the same numbers after its events are gone.
 * Events are found through the funnel-time index (and, for events outside any funnel, its null prefix).
 */
export async function pruneRawEvents(db: Db, now: number, budget = EVENT_BATCH): Promise<number> {
  const all = await db.select({ id: workspaces.id, settings: workspaces.settings }).from(workspaces).orderBy(workspaces.id);
  let deleted = 0;
  for (const ws of all) {
    if (deleted >= budget) break;
    const cutoff = retentionCutoff(now, ws.settings.rawEventRetentionMonths);
    const rows = await db.all<{ id: string }>(sql`
      delete from events where id in (
        select id from events where funnel_id in (select id from funnels where workspace_id = ${ws.id}) and occurred_at < ${cutoff}
        union all
        select id from events where funnel_id is null and occurred_at < ${cutoff} and workspace_id = ${ws.id}
        limit ${budget - deleted}
      ) returning id`);
    deleted += rows.length;
  }
  return deleted;
}

/**
 * Deletes the raw events of deleted funnels, at most `budget` per call, oldest deletion first,
 * through the events' funnel-time index. A funnel leaves the list once none of its events are left
 * and late arrivals have had `LATE_EVENTS_MS` to come in.
 */
export async function purgeDeletedFunnelEvents(db: Db, now: number, budget = EVENT_BATCH): Promise<number> {
  const pending = await db.select().from(deletedFunnels).orderBy(asc(deletedFunnels.deletedAt)).limit(100);
  let deleted = 0;
  for (const funnel of pending) {
    const room = budget - deleted;
    if (room <= 0) break;
    const rows = await db.all<{ id: string }>(sql`
      delete from events where id in (select id from events where funnel_id = ${funnel.funnelId} limit ${room}) returning id`);
    deleted += rows.length;
    if (rows.length < room && funnel.deletedAt < now - LATE_EVENTS_MS) {
      await db
        .delete(deletedFunnels)
        .where(and(eq(deletedFunnels.funnelId, funnel.funnelId), eq(deletedFunnels.deletedAt, funnel.deletedAt)));
    }
  }
  return deleted;
}
