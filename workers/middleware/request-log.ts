import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { AppEnv } from '../deps';
import { log } from '../logger';

/**
 * Gives each request an id (or keeps the `X-Request-Id` it came with, if short and plain), sends it
 * back in `X-Request-Id`, and puts a logger that carries it on the context: `c.var.log`. A user's
 * report with the header's value finds every line of that request.
 */
export function requestLog(): MiddlewareHandler<AppEnv> {
  const assignId = requestId({ limitLength: 64 });
  return (c, next) =>
    assignId(c, async () => {
      c.set('log', log.with({ requestId: c.var.requestId }));
      await next();
    });
}
