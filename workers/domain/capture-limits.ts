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
