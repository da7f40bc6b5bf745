/**
 * The built Worker bundle (dist/worker/cloudflare.js, from `npm run build`) running in workerd via
 * Miniflare, with its database requests answered by the Hrana bridge from a local libSQL file —
 * the same protocol Turso speaks in production.
 */
import { existsSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import { createHranaHandler } from '../../db/dev/hrana-server';
import { freshDatabase } from './app';
import type { Database } from '../../db/types';

export const WORKER_BUNDLE = 'dist/worker/cloudflare.js';
export const BRIDGE_URL = 'http://libsql.bridge.test';

export interface WorkerHarness {
  mf: Miniflare;
  database: Database & { path: string };
  /** Requests the Worker sent out (the database traffic included). */
  outbound: string[];
  fetch(path: string, init?: RequestInit & { cookie?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startWorker(
  options: {
    bindings?: Record<string, string>;
    /** Answers the Worker's requests to hosts other than the database (default: 502, no network in tests). */
    respond?: (request: Request) => Response | Promise<Response>;
  } = {},
): Promise<WorkerHarness> {
  if (!existsSync(WORKER_BUNDLE)) throw new Error(`${WORKER_BUNDLE} is missing: run \`npm run build\` first (npm test does).`);
  const database = await freshDatabase('worker');
  const bridge = createHranaHandler({ dbPath: database.path, authToken: 'test-token' });
  const outbound: string[] = [];
  const mf = new Miniflare({
    modules: true,
    scriptPath: WORKER_BUNDLE,
    compatibilityDate: '2026-04-26',
    bindings: { DATABASE_URL: BRIDGE_URL, DATABASE_AUTH_TOKEN: 'test-token', APP_SECRET: 'worker-test-secret-0123456789', ...options.bindings },
    // As in wrangler.toml: events go through a queue to the Worker's own consumer.
    queueProducers: { EVENTS: { queueName: 'leadflare-events' }, WEBHOOKS: { queueName: 'leadflare-webhooks' } },
    queueConsumers: {
      'leadflare-events': { maxBatchSize: 100, maxBatchTimeout: 1 },
      'leadflare-webhooks': { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 20 },
    },
    // As in wrangler.toml: the Worker runs first, so gated files are only reachable through it.
    assets: { directory: 'pages-ui/landing/assets', binding: 'ASSETS', routerConfig: { invoke_user_worker_ahead_of_assets: true, has_user_worker: true } },
    // Every outbound fetch of the Worker lands here; only the database host is answered.
    outboundService: async (request: { url: string }) => {
      outbound.push(request.url);
      if (new URL(request.url).origin === BRIDGE_URL) return bridge.handle(request as unknown as Request) as never;
      if (options.respond) return (await options.respond(request as unknown as Request)) as never;
      return new Response('no network in tests', { status: 502 }) as never;
    },
  });
  await mf.ready;
  return {
    mf,
    database,
    outbound,
    async fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.cookie) headers.set('cookie', init.cookie);
      const res = await mf.dispatchFetch(`http://localhost${path}`, { ...init, headers, redirect: 'manual' } as never);
      return res as unknown as Response;
    },
    async close() {
      await mf.dispose();
      await bridge.close();
      database.client.close();
    },
  };
}
