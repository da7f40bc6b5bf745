import type { Context } from 'hono';
import type { AppEnv } from '../deps';
import { afterResponse } from '../middleware/after-response';
import { serviceContext, type ServiceCtx } from '../services/context';

/**
 * The one service context of a request: webhook deliveries and other background work go out after
 * the response (waitUntil on Workers, tracked on Node). Every route builds its services' context
 * here instead of picking fields out of `c.var.deps` by hand.
 */
export function serviceCtx(c: Context<AppEnv>): ServiceCtx {
  return serviceContext(c.var.deps, (work) => afterResponse(c, work));
}
