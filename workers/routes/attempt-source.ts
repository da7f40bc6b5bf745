import type { Context } from 'hono';
import type { AppEnv } from '../deps';
import { DEFAULT_AUTH_LIMITS } from '../domain/auth-limits';
import type { AttemptSource } from '../services/auth-throttle';
import { hashIp } from '../services/capture';

/** Who is signing in or up, for the throttle (services/auth-throttle.ts): the same for the JSON API and the HTML forms. */
export async function attemptSource(c: Context<AppEnv>): Promise<AttemptSource & { replacesSessionId?: string }> {
  const deps = c.var.deps;
  return {
    ipHash: await hashIp(deps.secret, deps.clientIp(c)),
    secret: deps.secret,
    limits: { ...DEFAULT_AUTH_LIMITS, ...deps.authLimits },
    userAgent: c.req.header('user-agent'),
    requestId: c.var.requestId,
    replacesSessionId: c.var.sessionId,
  };
}
