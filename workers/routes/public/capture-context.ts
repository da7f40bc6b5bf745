import type { Context } from 'hono';
import type { AppEnv } from '../../deps';
import { DEFAULT_CAPTURE_LIMITS, type CaptureContext } from '../../services/capture';
import { requestWriteCtx } from '../../middleware/request-write-ctx';
import type { EdgeRateLimiters, RateLimitOutcome } from '../../services/ports';
import { turnstileSecretFor, verifyTurnstileToken, type HumanCheck } from '../../services/turnstile';
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

/** Counts this request against an edge limit (see `EDGE_RATE_LIMITS` for how it layers with capture's own). */
export function edgeLimit(c: Context<AppEnv>, which: keyof EdgeRateLimiters, key: string): Promise<RateLimitOutcome> {
  return c.var.deps.rateLimiters[which].limit(`${which}:${key}`);
}

/**
 * The Turnstile check of a post to a funnel that has it on (`siteKey` set), else undefined. The
 * secret is read only when the check runs, i.e. for a post that is otherwise acceptable.
 */
export function humanCheckFor(
  c: Context<AppEnv>,
  workspaceId: string,
  siteKey: string | null,
  token: string | undefined,
): (() => Promise<HumanCheck>) | undefined {
  if (!siteKey) return undefined;
  const { deps } = c.var;
  return async () => {
    const secretKey = await turnstileSecretFor(deps.database.db, workspaceId, deps.turnstile);
    if (!secretKey) {
      // The owner removed the secret after turning the check on: posts cannot be verified, so none is stored.
      c.var.log.error('Turnstile is on for a funnel but no secret key is set', { workspaceId });
      return { ok: false, reason: 'unavailable' };
    }
    return verifyTurnstileToken(deps.database.client, deps.turnstile, { token, secretKey, ip: deps.clientIp(c), now: deps.clock() });
  };
}
