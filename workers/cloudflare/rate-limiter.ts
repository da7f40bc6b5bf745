import type { EdgeRateLimit } from '../domain/capture-limits';
import type { RateLimiter } from '../services/ports';

/** The part of a rate-limiting binding (`RateLimit`) the limiter uses; tests pass a fake of this shape. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * Cloudflare's rate-limiting binding (wrangler.toml `[[ratelimits]]`) behind the `RateLimiter`
 * port. The binding answers only success or not, counted per Cloudflare location; Retry-After is
 * its period, the longest a refused client has to wait.
 */
export function bindingRateLimiter(binding: RateLimitBinding, rule: EdgeRateLimit): RateLimiter {
  return {
    async limit(key) {
      const { success } = await binding.limit({ key });
      return success ? { ok: true } : { ok: false, retryAfterSeconds: rule.periodSeconds };
    },
  };
}
