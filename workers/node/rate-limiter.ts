import type { EdgeRateLimit } from '../domain/capture-limits';
import type { RateLimiter } from '../services/ports';

/** Past this many live keys the oldest is forgotten: memory stays bounded whatever the traffic. */
const DEFAULT_MAX_KEYS = 10_000;

interface Counter {
  windowStart: number;
  current: number;
  previous: number;
}

/**
 * The local runtime's edge limiter: a sliding-window counter per key (this window's count plus
 * the previous window's, weighted by how much of it still overlaps), so a burst straddling a
 * window boundary is not let through twice. One Node process serves everything locally, so
 * process memory is the right place; keys are kept in insertion order and the oldest dropped.
 */
export function memoryRateLimiter(rule: EdgeRateLimit, clock: () => number, maxKeys = DEFAULT_MAX_KEYS): RateLimiter {
  const periodMs = rule.periodSeconds * 1000;
  const counters = new Map<string, Counter>();
  return {
    async limit(key) {
      const now = clock();
      const windowStart = Math.floor(now / periodMs) * periodMs;
      let counter = counters.get(key);
      if (counter && counter.windowStart !== windowStart) {
        const adjacent = counter.windowStart === windowStart - periodMs;
        counter = { windowStart, current: 0, previous: adjacent ? counter.current : 0 };
      }
      counter ??= { windowStart, current: 0, previous: 0 };
      // Re-inserted, so the Map's order is least recently used first.
      counters.delete(key);
      if (counters.size >= maxKeys) counters.delete(counters.keys().next().value!);
      counters.set(key, counter);
      const overlap = 1 - (now - windowStart) / periodMs;
      const estimate = counter.previous * overlap + counter.current;
      if (estimate >= rule.limit) {
        // Refused requests are not counted; Retry-After is when the estimate drops below the limit.
        const freeAt =
          counter.current < rule.limit
            ? windowStart + periodMs * (1 - (rule.limit - counter.current) / counter.previous)
            : windowStart + periodMs + periodMs * (1 - rule.limit / counter.current);
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
      }
      counter.current += 1;
      return { ok: true };
    },
  };
}
