import type { Database } from '../db/types';
import type { Role } from '../db/schema';
import type { IdGenerator } from './domain/ids';

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
    user?: AuthUser;
    sessionId?: string;
    scope: WorkspaceScope;
  };
};
