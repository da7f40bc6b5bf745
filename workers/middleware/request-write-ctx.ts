import type { Context } from 'hono';
import type { AppEnv } from '../deps';
import { backgroundWriteCtx, type WriteCtx } from '../services/write-context';
import { afterResponse } from './after-response';

/** A service's write context for a request: webhook deliveries go out after the response (waitUntil on Workers, tracked on Node). */
export function requestWriteCtx(c: Context<AppEnv>): WriteCtx {
  return backgroundWriteCtx(c.var.deps, (work) => afterResponse(c, work));
}
