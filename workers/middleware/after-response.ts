import type { Context } from 'hono';
import type { AppEnv } from '../deps';

/**
 * Runs `work` after the response: on Workers through the request's ExecutionContext, on Node
 * through the tracked set that shutdown waits for.
 */
export function afterResponse(c: Context<AppEnv>, work: Promise<unknown>): void {
  let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined; // Node: Hono throws when no ExecutionContext was passed.
  }
  if (ctx) ctx.waitUntil(work);
  else if (c.var.deps.waitUntil) c.var.deps.waitUntil(work);
  else work.catch((err: unknown) => c.var.log.error('Background task failed', { err }));
}
