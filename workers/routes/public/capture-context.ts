import type { Context } from 'hono';
import type { AppEnv } from '../../deps';
import { DEFAULT_CAPTURE_LIMITS, type CaptureContext } from '../../services/capture';
import { requestWriteCtx } from '../../middleware/request-write-ctx';

/** What a capture needs from the request: the clock read once, and webhooks sent after the response. */
export function requestCaptureContext(c: Context<AppEnv>): CaptureContext {
  const { deps } = c.var;
  return {
    database: deps.database,
    secret: deps.secret,
    now: deps.clock(),
    newId: deps.newId,
    limits: { ...DEFAULT_CAPTURE_LIMITS, ...deps.captureLimits },
    notify: requestWriteCtx(c).notify,
  };
}
