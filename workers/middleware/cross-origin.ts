import type { MiddlewareHandler } from 'hono';
import { forbidden } from '../domain/errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for every state-changing request, whatever its content type. Hono's `csrf()`
 * only looks at form-like content types, so a cross-site `fetch` with a JSON or text body would
 * pass it; this checks the browser-set headers instead:
 *
 * 1. `Sec-Fetch-Site` (sent by all current browsers): only `same-origin` or `none` (typed URL,
 *    bookmark) may change state.
 * 2. Otherwise `Origin`, when present, must be this request's own origin.
 * 3. Neither header: not a browser (curl, a server, a test client) — there is no ambient cookie
 *    to abuse across sites, so the request proceeds.
 *
 * `exempt` names paths that accept cross-origin posts on purpose (beacons, embedded forms); each
 * does its own origin check.
 */
export function crossOriginProtection(options: { exempt?: (path: string) => boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || options.exempt?.(c.req.path)) return next();
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined) {
      if (site === 'same-origin' || site === 'none') return next();
      throw forbidden('Cross-site requests may not change data.', 'cross_origin_rejected');
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(c.req.url).origin) {
      throw forbidden('Cross-site requests may not change data.', 'cross_origin_rejected');
    }
    return next();
  };
}
