import type { Context } from 'hono';
import type { AppEnv } from '../deps';
import { DEFAULT_AUTH_LIMITS } from '../domain/auth-limits';
import { readDeviceCookie, writeDeviceCookie, writeSessionCookie } from '../middleware/session-cookie';
import { trustedDeviceToken, type AttemptSource } from '../services/auth-throttle';
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
    deviceToken: readDeviceCookie(c),
  };
}

/**
 * A sign-in (or sign-up, or password reset) succeeded: the session cookie, and a fresh
 * trusted-device cookie for the account, so a stranger's failed guesses cannot lock this browser out.
 */
export async function signedIn(c: Context<AppEnv>, session: { token: string; expiresAt: number }, email: string): Promise<void> {
  const { clock, secret } = c.var.deps;
  const now = clock();
  writeSessionCookie(c, session.token, session.expiresAt, now);
  const device = await trustedDeviceToken(secret, email, now);
  writeDeviceCookie(c, device.token, device.expiresAt, now);
}
