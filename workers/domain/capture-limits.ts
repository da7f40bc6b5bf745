/**
 * The bot and abuse limits of form capture, as the runtime may override them (`AppDeps.captureLimits`;
 * tests shorten them). The defaults and the checks are services/capture.ts, whose own
 * `CaptureLimits` must stay assignable from this one (the capture routes pass one into the other,
 * so a mismatch fails the type check).
 */
export interface CaptureLimits {
  /** A post sooner than this after the page was served is a bot (people do not type that fast). */
  minFillMs: number;
  /** Tokens older than this are refused: the visitor reloads and posts again. */
  tokenMaxAgeMs: number;
  /** Posts per IP hash and form in one window. */
  ratePerWindow: number;
  rateWindowMs: number;
}

/**
 * Burst limits counted on every request before it is processed: the first of two layers.
 *
 * - Edge (these): every POST to a form of a funnel from one IP hash, and every beacon from one IP
 *   hash, per minute. Forged tokens, garbage bodies and floods across many forms count here too.
 *   A beacon is refused before any database work; a form post after the one read that finds its
 *   page (so the refusal can show the form again with the visitor's values). On Workers this is Cloudflare's rate-limiting binding
 *   (wrangler.toml `[[ratelimits]]`, whose limit and period must match these), locally an
 *   in-process sliding window.
 * - Database (`CaptureLimits.ratePerWindow` / `rateWindowMs`, services/capture.ts): posts that
 *   passed the token and bot checks, per IP hash and *form*, over ten minutes, counted exactly
 *   and shared by every instance.
 *
 * The edge limit is deliberately looser per minute than one form's database limit, so a person
 * retrying one form meets the database limit's message (with its longer Retry-After) first; the
 * edge limit only answers floods.
 */
export interface EdgeRateLimit {
  limit: number;
  /** Cloudflare's binding accepts 10 or 60 seconds only. */
  periodSeconds: 10 | 60;
}

export const EDGE_RATE_LIMITS: { capture: EdgeRateLimit; beacon: EdgeRateLimit } = {
  capture: { limit: 20, periodSeconds: 60 },
  beacon: { limit: 120, periodSeconds: 60 },
};
