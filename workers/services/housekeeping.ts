/**
 * Rows nobody will read again: sessions past their expiry (a lookup already refuses them),
 * rate-limit counters whose window ended long ago (a new hit on the key restarts it anyway), and
 * raw events older than their workspace's retention period (the rollups every report reads stay).
 * Bounded per tick, so a backlog is cleared over a few ticks instead of in one long write.
 */
import { inArray, lt, sql } from 'drizzle-orm';
import { rateLimitBuckets, sessions, workspaces } from '../../db/schema';
import type { Db } from '../../db/types';
import { retentionCutoff } from '../domain/privacy';

/** Longer than any limiter's window (the longest is 15 minutes): a counter this old counts nothing. */
export const STALE_COUNTER_MS = 24 * 60 * 60 * 1000;
const BATCH = 5_000;
/** Raw events deleted per tick, over all workspaces. */
export const EVENT_BATCH = 5_000;

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
