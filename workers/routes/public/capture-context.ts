import type { Context } from 'hono';
import type { AppEnv } from '../../deps';
import { DEFAULT_CAPTURE_LIMITS, type CaptureContext } from '../../services/capture';
import { requestWriteCtx } from '../../middleware/request-write-ctx';
import { afterResponse } from '../../middleware/after-response';

/**
 * Where links in mail point: the app's public host (first of APP_HOSTS), else the origin this
 * request came to (locally). Set APP_HOSTS in production, so a forged Host header cannot put
 * another site's address into mail the app sends.
 */
export function mailOrigin(c: Context<AppEnv>): string {
  const host = c.var.deps.appHosts?.[0];
  return host ? `https://${host}` : new URL(c.req.url).origin;
}

/** What a capture needs from the request: the clock read once, and webhooks and mail sent after the response. */
export function requestCaptureContext(c: Context<AppEnv>): CaptureContext {
  const { deps } = c.var;
  return {
    database: deps.database,
    secret: deps.secret,
    now: deps.clock(),
    newId: deps.newId,
    limits: { ...DEFAULT_CAPTURE_LIMITS, ...deps.captureLimits },
    notify: requestWriteCtx(c).notify,
    mail: {
      origin: mailOrigin(c),
      notifyEmails: (ids) => {
        if (ids.length) afterResponse(c, deps.emails.dispatch(ids));
      },
    },
  };
}
