import type { Database } from '../db/types';
import type { Role } from '../db/schema';
import type { Context } from 'hono';
import type { IdGenerator } from './domain/ids';
import type { PageCache } from './services/page-cache';
import type { CaptureLimits } from './services/capture';
import type { EventSink } from './services/event-sink';
import type { WebhookNetwork } from './services/webhooks';
import type { Membership } from './services/sessions';
import type { Logger } from './logger';

/**
 * Everything the app needs from its runtime. The two entry files (node.ts, cloudflare.ts) build
 * this and nothing else; tests build it too, swapping the clock or id generator, so they run the
 * real app.
 */
export interface AppDeps {
  database: Database;
  /** UTC epoch milliseconds. */
  clock: () => number;
  newId: IdGenerator;
  /** Runs work after the response on Node (tracked so shutdown waits for it); Workers use ctx.waitUntil. */
  waitUntil?: (work: Promise<unknown>) => void;
  /** Shown on the sign-in page when the demo data was seeded locally. */
  demoLogin?: { email: string; password: string };
  /** Signs form tokens and download links and keys IP hashes. Never in the repo: env / Worker secret. */
  secret: string;
  /** Published pages by public path (in-memory LRU locally, Cache API on Workers). */
  pageCache: PageCache;
  /** Static files: public ones under /assets, gated lead-magnet files only through signed links. */
  assets: AssetStore;
  /** The visitor's IP as the runtime sees it (socket address on Node, CF-Connecting-IP on Workers). */
  clientIp: (c: Context) => string;
  /** Host names of the app itself; any other Host is looked up as a funnel's custom domain. */
  appHosts?: string[];
  captureLimits?: Partial<CaptureLimits>;
  /** Accepted tracking events go here: a group-commit buffer locally, a Cloudflare Queue on Workers. */
  events: EventSink;
  /** Sends webhook deliveries already written to `webhook_deliveries` (the outbox): in-process on Node, a Cloudflare Queue on Workers. */
  webhooks: WebhookDispatcher;
  /**
   * How webhook deliveries reach the internet and how target hosts resolve (Node: node:dns and
   * address-pinned https; Workers: fetch). Only code can set it — tests use it to reach a receiver
   * on loopback, which the target policy refuses everywhere else.
   */
  webhookNetwork: WebhookNetwork;
}

export interface WebhookDispatcher {
  /** Called after the transaction that wrote these delivery rows committed; resolves when they were handed on (Workers) or attempted (Node). */
  dispatch(deliveryIds: string[]): Promise<void>;
  /** Cancels scheduled retry timers (Node); the rows stay pending for the next sweep. */
  stop?(): void;
}

export interface StoredAsset {
  body: ArrayBuffer | ReadableStream;
  contentType: string;
  size?: number;
}

export interface AssetStore {
  /** A file by path relative to the assets folder (e.g. `gated/guide.pdf`), or null. */
  get(path: string): Promise<StoredAsset | null>;
}

export interface AuthUser {
  id: string;
  email: string;
  name: string;
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
    /** Set first for every request (middleware/request-log.ts), sent back as `X-Request-Id`. */
    requestId: string;
    /** The logger, with this request's id on every line. */
    log: Logger;
    user?: AuthUser;
    sessionId?: string;
    /** The signed-in user's workspaces, oldest first; set with `user`. */
    memberships?: Membership[];
    scope: WorkspaceScope;
  };
};
