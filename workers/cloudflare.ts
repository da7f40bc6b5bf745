/**
 * Production entry: the same `createApp(deps)` on Cloudflare Workers, with libSQL over HTTP
 * (Turso). The database client and app are created once per isolate and reused across requests;
 * per-request background work goes through Hono's `c.executionCtx.waitUntil` (see after-response.ts).
 */
import { createWebDb } from '../db/client-web';
import { createApp, type App } from './app';
import { newId } from './domain/ids';

let cached: { key: string; app: App } | undefined;

function appFor(env: Env): App {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set: add it with `wrangler secret put DATABASE_URL`.');
  const key = `${env.DATABASE_URL}\n${env.DATABASE_AUTH_TOKEN ?? ''}`;
  if (cached?.key === key) return cached.app;
  const app = createApp({
    database: createWebDb(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN),
    clock: Date.now,
    newId: () => newId(),
  });
  cached = { key, app };
  return app;
}

export default {
  async fetch(request, env, ctx) {
    return appFor(env).fetch(request as unknown as Request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
