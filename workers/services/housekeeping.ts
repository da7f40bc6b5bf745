/**
 * Rows nobody will read again: sessions past their expiry (a lookup already refuses them) and
 * rate-limit counters whose window ended long ago (a new hit on the key restarts it anyway).
 * Bounded per tick, so a backlog is cleared over a few ticks instead of in one long write.
 */
import { inArray, lt, sql } from 'drizzle-orm';
import { rateLimitBuckets, sessions } from '../../db/schema';
import type { Db } from '../../db/types';

/** Longer than any limiter's window (the longest is 15 minutes): a counter this old counts nothing. */
export const STALE_COUNTER_MS = 24 * 60 * 60 * 1000;
const BATCH = 5_000;

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
