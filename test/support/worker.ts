/**
 * The built Worker bundle (dist/worker/cloudflare.js, from `npm run build`) running in workerd via
 * Miniflare, with its database requests answered by the Hrana bridge from a local libSQL file —
 * the same protocol Turso speaks in production.
 *
 * The Worker keeps time by workerd's clock. That is the machine's clock, the one Node reads too,
 * except under `npm run test:shifted-clock`: libfaketime shifts Node and Chromium but cannot run
 * workerd (its tcmalloc deadlocks on libfaketime's start-up), so there workerd keeps the real
 * date. `now()` is the Worker's clock either way: whatever a test writes for the Worker to read
 * (a seed, an event time, a token's issue time) is stamped with it.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Miniflare } from 'miniflare';
import { createHranaHandler } from '../../db/dev/hrana-server';
import { freshDatabase } from './app';
import { DEFAULT_CAPTURE_LIMITS, issueSubmissionToken, type SubmissionTokenPayload } from '../../workers/services/capture';
import { verifyToken } from '../../workers/domain/signed-tokens';
import type { FetcherQueueResult } from '@cloudflare/workers-types/experimental';
import type { Database } from '../../db/types';
import { PUBLIC_DIR } from '../../workers/app-bundle';
import { EDGE_RATE_LIMITS } from '../../workers/domain/capture-limits';

export const WORKER_BUNDLE = 'dist/worker/cloudflare.js';
export const BRIDGE_URL = 'http://libsql.bridge.test';
/** The Worker's APP_SECRET in tests: what it signs form tokens with. */
export const WORKER_SECRET = 'worker-test-secret-0123456789';

export interface WorkerHarness {
  mf: Miniflare;
  database: Database & { path: string };
  /** Requests the Worker sent out (the database traffic included). */
  outbound: string[];
  /** Lines workerd wrote to stdout and stderr (the Worker's console), also passed through to ours. */
  logs: string[];
  /** The Worker's clock (epoch ms), for data the Worker will compare with its own `Date.now()`. */
  now(): number;
  /**
   * Hands `bodies` to the Worker's queue consumer at once, as the queue would (a first delivery
   * or a redelivery), and resolves when the consumer is done, with its acks and retries.
   */
  consume<Body>(queueName: string, bodies: Body[], attempts?: number): Promise<FetcherQueueResult>;
  fetch(path: string, init?: RequestInit & { cookie?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startWorker(
  options: {
    bindings?: Record<string, string>;
    /** Answers the Worker's requests to hosts other than the database (default: 502, no network in tests). */
    respond?: (request: Request) => Response | Promise<Response>;
    /** Rate-limiting bindings by name, replacing wrangler.toml's (e.g. a tiny limit to reach it quickly). */
    ratelimits?: Partial<Record<'CAPTURE_LIMITER' | 'BEACON_LIMITER', { simple: { limit: number; period?: 10 | 60 } }>>;
  } = {},
): Promise<WorkerHarness> {
  if (!existsSync(WORKER_BUNDLE)) throw new Error(`${WORKER_BUNDLE} is missing: run \`npm run build\` first (npm test does).`);
  if (!existsSync(PUBLIC_DIR)) throw new Error(`${PUBLIC_DIR} is missing: run \`npm run build\` first (npm test does).`);
  const database = await freshDatabase('worker');
  const bridge = createHranaHandler({ dbPath: database.path, authToken: 'test-token' });
  const outbound: string[] = [];
  const logs: string[] = [];
  const mf = new Miniflare({
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      createInterface(stdout).on('line', (line) => (logs.push(line), console.log(line)));
      createInterface(stderr).on('line', (line) => (logs.push(line), console.error(line)));
    },
    workers: [
      {
        name: 'leadflare',
        modules: true,
        scriptPath: WORKER_BUNDLE,
        compatibilityDate: '2026-04-26',
        bindings: {
          DATABASE_URL: BRIDGE_URL,
          DATABASE_AUTH_TOKEN: 'test-token',
          APP_SECRET: WORKER_SECRET,
          ...options.bindings,
        },
        // As in wrangler.toml: events go through a queue to the Worker's own consumer.
        queueProducers: {
          EVENTS: { queueName: 'leadflare-events' },
          WEBHOOKS: { queueName: 'leadflare-webhooks' },
          EMAILS: { queueName: 'leadflare-emails' },
        },
        queueConsumers: {
          'leadflare-events': { maxBatchSize: 100, maxBatchTimeout: 1 },
          'leadflare-webhooks': { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 20 },
          'leadflare-emails': { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 20 },
        },
        // As in wrangler.toml `[[ratelimits]]`: Miniflare runs workerd's own rate-limit binding.
        ratelimits: {
          CAPTURE_LIMITER: { simple: { limit: EDGE_RATE_LIMITS.capture.limit, period: EDGE_RATE_LIMITS.capture.periodSeconds } },
          BEACON_LIMITER: { simple: { limit: EDGE_RATE_LIMITS.beacon.limit, period: EDGE_RATE_LIMITS.beacon.periodSeconds } },
          ...options.ratelimits,
        },
        // As in wrangler.toml: the media library's R2 bucket (in memory here).
        r2Buckets: { MEDIA: 'leadflare-media' },
        // As in wrangler.toml (`run_worker_first = ["/*", "!/assets/app/*"]`, as wrangler translates it):
        // the Worker runs first, so gated files are only reachable through it; the app's hashed files
        // come straight from the asset layer with dist/public/_headers.
        assets: {
          directory: PUBLIC_DIR,
          binding: 'ASSETS',
          routerConfig: { has_user_worker: true, static_routing: { user_worker: ['/*'], asset_worker: ['/assets/app/*'] } },
        },
        // Every outbound fetch of the Worker lands here; only the database host is answered.
        outboundService: async (request: { url: string }) => {
          outbound.push(request.url);
          if (new URL(request.url).origin === BRIDGE_URL) return bridge.handle(request as unknown as Request) as never;
          if (options.respond) return (await options.respond(request as unknown as Request)) as never;
          return new Response('no network in tests', { status: 502 }) as never;
        },
      },
      // Tells the time in workerd, see the header comment.
      { name: 'clock', modules: true, script: 'export default { fetch: () => new Response(String(Date.now())) };' },
    ],
  });
  await mf.ready;
  const offset = await workerdClockOffset(mf);
  return {
    mf,
    database,
    outbound,
    logs,
    now: () => Date.now() + offset,
    async consume(queueName, bodies, attempts = 1) {
      const worker = await mf.getWorker('leadflare');
      const timestamp = new Date(Date.now() + offset);
      const messages = bodies.map((body, i) => ({ id: `test-${i}-${Math.random().toString(36).slice(2)}`, timestamp, attempts, body }));
      return await worker.queue(queueName, messages);
    },
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

/**
 * How far workerd's clock is from Node's: 0 when both read the machine's clock (a difference
 * below a second is the round trip, not another clock), a year under the shifted-clock run.
 */
async function workerdClockOffset(mf: Miniflare): Promise<number> {
  const clock = await mf.getWorker('clock');
  const before = Date.now();
  const workerd = Number(await (await clock.fetch('http://clock.test/')).text());
  const after = Date.now();
  const offset = workerd - Math.round((before + after) / 2);
  return Math.abs(offset) < 1_000 ? 0 : offset;
}

/**
 * A served form's token as if the page had been served the minimum fill time earlier: the same
 * page version, signed with the Worker's secret by the function the Worker signs with. A post with
 * it passes the bot check (people do not fill a form in under two seconds) without the test
 * sitting out the Worker's real clock.
 */
export async function servedEarlier(token: string): Promise<string> {
  const payload = await verifyToken<SubmissionTokenPayload>(WORKER_SECRET, token);
  if (!payload) throw new Error(`Not a form token the Worker signed: ${token}`);
  return issueSubmissionToken(WORKER_SECRET, payload.v, payload.t - DEFAULT_CAPTURE_LIMITS.minFillMs);
}

/**
 * Signs a new member up through the Worker (a workspace of their own) and answers their session
 * cookie and workspace id; a refused sign-up fails the test with the Worker's answer.
 */
export async function signUpOnWorker(
  w: Pick<WorkerHarness, 'fetch'>,
  person: { email: string; name: string; workspaceName?: string },
): Promise<{ cookie: string; workspaceId: string }> {
  const res = await w.fetch('/api/auth/signup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: 'correct horse battery', ...person }),
  });
  if (res.status !== 201) throw new Error(`Sign-up of ${person.email} answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie()[0]?.split(';')[0];
  if (!cookie) throw new Error(`Sign-up of ${person.email} set no session cookie`);
  return { cookie, workspaceId: ((await res.json()) as { workspaceId: string }).workspaceId };
}
