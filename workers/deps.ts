import type { Context } from 'hono';
import type { AppBundle } from './app-bundle';
import type { AuthUser, Membership } from './contract/accounts';
import type { AuthLimits } from './domain/auth-limits';
import type { CaptureLimits } from './domain/capture-limits';
import type { Role } from './domain/roles';
import type { ServiceDeps } from './services/context';
import type { AssetStore, EdgeRateLimiters } from './services/ports';
import type { TurnstileConfig } from './services/turnstile';
import type { Logger } from './logger';

/**
 * Everything the app needs from its runtime: what the services take (`ServiceDeps`) plus what
 * only the HTTP edge uses. The two entry files (node.ts, cloudflare.ts) build this and nothing
 * else; tests build it too, swapping the clock or id generator, so they run the real app.
 * Services never import this file (dependency rule, .dependency-cruiser.cjs).
 */
export interface AppDeps extends ServiceDeps {
  /** Runs work after the response on Node (tracked so shutdown waits for it); Workers use ctx.waitUntil. */
  waitUntil?: (work: Promise<unknown>) => void;
  /** Shown on the sign-in page when the demo data was seeded locally. */
  demoLogin?: { email: string; password: string };
  /** Static files: public ones under /assets, gated lead-magnet files only through signed links. */
  assets: AssetStore;
  /** The team's app build (manifest + hashed files), for the `/app` shell and `/assets/app/*`. */
  appBundle: AppBundle;
  /** The visitor's IP as the runtime sees it (socket address on Node, CF-Connecting-IP on Workers). */
  clientIp: (c: Context) => string;
  /** Host names of the app itself; any other Host is looked up as a funnel's custom domain. */
  appHosts?: string[];
  captureLimits?: Partial<CaptureLimits>;
  /**
   * The dev outbox (/app/outbox and /api/outbox): members read the mail the app "sent". On locally
   * when no email provider is configured; off (404) in production unless DEV_OUTBOX=1.
   */
  devOutbox?: boolean;
  /** Sign-in and sign-up throttle (domain/auth-limits.ts); tests shorten it. */
  authLimits?: Partial<AuthLimits>;
  /** Burst limits on form posts and the beacon (domain/capture-limits.ts `EDGE_RATE_LIMITS`): Cloudflare's binding or in-process. */
  rateLimiters: EdgeRateLimiters;
  /** Where Turnstile tokens are verified, and the deployment-wide secret key (env TURNSTILE_SECRET_KEY). */
  turnstile?: TurnstileConfig;
}

/** Resolved once per admin request by the workspace-scope middleware; services take ids from here only. */
export interface WorkspaceScope {
  user: AuthUser;
  sessionId: string;
  workspaceId: string;
  role: Role;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    user?: AuthUser;
    sessionId?: string;
    /** The signed-in user's workspaces, oldest first; set with `user`. */
    memberships?: Membership[];
    scope: WorkspaceScope;
    /** The workspace of the API key on `/api/v1` (set by `apiKeyScope`). */
    apiWorkspaceId: string;
    /** The API key itself on `/api/v1`, for the audit log. */
    apiKeyId: string;
    /** Set first for every request (middleware/request-log.ts), sent back as `X-Request-Id`. */
    requestId: string;
    /** The logger, with this request's id on every line. */
    log: Logger;
  };
};
