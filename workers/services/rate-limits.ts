import type { Client } from '@libsql/client';

/**
 * Fixed-window counters in `rate_limit_buckets`, shared by every instance through the database (a
 * Worker isolate's memory is neither shared nor kept). One upsert per hit: a key's row is reused
 * across windows, reset to 1 when a new window starts, so the table holds one row per live key.
 */
export interface FixedWindow {
  limit: number;
  windowMs: number;
}

export interface Hit {
  key: string;
  /** The window the hit was counted in, so it can be taken back from that window only. */
  windowStart: number;
  count: number;
  /** Seconds to wait when the count is over the limit, else null. */
  retryAfterSeconds: number | null;
}

const UPSERT = `insert into rate_limit_buckets (key, window_start, count) values (?, ?, 1)
  on conflict (key) do update set
    count = case when rate_limit_buckets.window_start = excluded.window_start then rate_limit_buckets.count + 1 else 1 end,
    window_start = excluded.window_start
  returning count`;

function windowStartOf(now: number, windowMs: number) {
  return Math.floor(now / windowMs) * windowMs;
}

function hitOf(key: string, windowStart: number, count: number, window: FixedWindow, now: number): Hit {
  const over = count > window.limit;
  return {
    key,
    windowStart,
    count,
    retryAfterSeconds: over ? Math.max(1, Math.ceil((windowStart + window.windowMs - now) / 1000)) : null,
  };
}

/** Counts one hit on each key (in one round trip); each result says whether its key is over its limit. */
export async function countHits(client: Client, hits: Array<{ key: string; window: FixedWindow }>, now: number): Promise<Hit[]> {
  const starts = hits.map((h) => windowStartOf(now, h.window.windowMs));
  const statements = hits.map((h, i) => ({ sql: UPSERT, args: [h.key, starts[i]!] }));
  // One statement commits on its own; a batch would wrap it in a transaction for nothing (capture's hot path).
  const results = statements.length === 1 ? [await client.execute(statements[0]!)] : await client.batch(statements, 'write');
  return hits.map((h, i) => hitOf(h.key, starts[i]!, Number(results[i]?.rows[0]?.count ?? 0), h.window, now));
}

/** Counts one hit on a key; the seconds to wait when over the limit, else null. */
export async function countHit(client: Client, key: string, window: FixedWindow, now: number): Promise<number | null> {
  const [hit] = await countHits(client, [{ key, window }], now);
  return hit!.retryAfterSeconds;
}

/**
 * Takes hits back: `forget` lowers a key's count by one in the window it was counted in (an
 * attempt that turned out not to count), `reset` clears the key.
 */
export async function takeBack(client: Client, changes: { forget?: Hit[]; reset?: string[] }): Promise<void> {
  const statements = [
    ...(changes.forget ?? []).map((h) => ({
      sql: 'update rate_limit_buckets set count = max(0, count - 1) where key = ? and window_start = ?',
      args: [h.key, h.windowStart],
    })),
    ...(changes.reset ?? []).map((key) => ({ sql: 'delete from rate_limit_buckets where key = ?', args: [key] })),
  ];
  if (statements.length) await client.batch(statements, 'write');
}
