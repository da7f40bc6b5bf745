/**
 * Production entry: the same `createApp(deps)` on Cloudflare Workers, with libSQL over HTTP
 * (Turso), the Cache API for published pages and Workers Static Assets for files. The app is
 * built once per isolate and reused; per-request background work goes through Hono's
 * `c.executionCtx.waitUntil` (see middleware/after-response.ts).
 */
import { createWebDb } from '../db/client-web';
import { createApp, type App } from './app';
import { renderPublishedHtml } from '../pages-ui/landing/funnel-page';
import type { AppDeps } from './deps';
import { APP_ASSETS_PREFIX, APP_MANIFEST_FILE, TEMPLATES_FILE, type AppBundle, type AppManifest } from './app-bundle';
import { newId } from './domain/ids';
import { CacheApiPageCache } from './cloudflare/page-cache';
import { r2MediaStore } from './cloudflare/media-store';
import { consumeWebhookBatch, fetchWebhookNetwork, queueWebhookDispatcher } from './cloudflare/webhooks';
import { dohDnsResolver } from './cloudflare/dns-resolver';
import { bindingRateLimiter } from './cloudflare/rate-limiter';
import { EDGE_RATE_LIMITS } from './domain/capture-limits';
import { consumeEmailBatch, queueEmailDispatcher } from './cloudflare/email';
import { devOutboxMailer, httpProviderMailer } from './services/mailers';
import { ingestBatch, type IngestEvent } from './services/ingest';
import { qualifyChangedVisitors } from './services/after-ingest';
import type { AssetStore, TemplateCatalog } from './services/ports';
import type { FunnelTemplate } from './domain/templates/types';
import { describeScheduledRun, runScheduledWork } from './services/scheduler';
import { createLogger, log, setLogger } from './logger';

// Workers Logs and `wrangler tail` index the fields of JSON lines.
setLogger(createLogger({ format: 'json' }));

/** The queue of webhook deliveries (wrangler.toml); every other batch is tracking events. */
const WEBHOOKS_QUEUE = 'leadflare-webhooks';
/** The queue of outbox mail (wrangler.toml). */
const EMAILS_QUEUE = 'leadflare-emails';

let cached: { key: string; app: App; database: ReturnType<typeof createWebDb>; deps: AppDeps } | undefined;

/** A file of the static-assets directory (dist/public, see workers/app-bundle.ts) by its path there. */
async function staticFile(env: Env, path: string) {
  const res = await env.ASSETS.fetch(new Request(`https://assets.local/${path}`));
  if (!res.ok || !res.body) return null;
  return { body: res.body as unknown as ReadableStream, contentType: res.headers.get('content-type') ?? 'application/octet-stream' };
}

/** Files under /assets from the static-assets binding; `run_worker_first` keeps gated files behind our routes. */
function assetStore(env: Env): AssetStore {
  return { get: (path) => staticFile(env, `assets/${path}`) };
}

/**
 * The app build deployed with this Worker version (assets and code deploy together), so its
 * manifest is read once per isolate; a failed read is tried again on the next request.
 */
function appBundle(env: Env): AppBundle {
  let manifest: Promise<AppManifest | null> | undefined;
  const read = async () => {
    const res = await env.ASSETS.fetch(new Request(`https://assets.local/${APP_MANIFEST_FILE}`));
    if (!res.ok) return null;
    return await res.json<AppManifest>();
  };
  return {
    manifest: () =>
      (manifest ??= read()
        .catch(() => null)
        .then((m) => {
          if (!m) manifest = undefined;
          return m;
        })),
    file: (path) => staticFile(env, `${APP_ASSETS_PREFIX.slice(1)}${path}`),
  };
}

/**
 * The funnel templates, from the JSON the build writes beside the app (deployed with this Worker
 * version): read once per isolate when first needed; a failed read is tried again next time.
 */
function assetTemplates(env: Env): TemplateCatalog {
  let loaded: Promise<readonly FunnelTemplate[]> | undefined;
  const read = async () => {
    const res = await env.ASSETS.fetch(new Request(`https://assets.local/${TEMPLATES_FILE}`));
    if (!res.ok) throw new Error(`${TEMPLATES_FILE} is missing from the static assets (${res.status}): run npm run build`);
    return await res.json<FunnelTemplate[]>();
  };
  return {
    all: () =>
      (loaded ??= read().catch((err: unknown) => {
        loaded = undefined;
        throw err;
      })),
  };
}

function appFor(env: Env): App {
  return instanceFor(env).app;
}

function instanceFor(env: Env): NonNullable<typeof cached> {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set: add it with `wrangler secret put DATABASE_URL`.');
  if (!env.APP_SECRET) throw new Error('APP_SECRET is not set: add it with `wrangler secret put APP_SECRET`.');
  const key = [
    env.DATABASE_URL,
    env.DATABASE_AUTH_TOKEN,
    env.APP_SECRET,
    env.EMAIL_PROVIDER_URL,
    env.EMAIL_API_KEY,
    env.EMAIL_FROM,
    env.DEV_OUTBOX,
  ]
    .map((v) => v ?? '')
    .join('\n');
  if (cached?.key === key) return cached;
  const database = createWebDb(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  const deps: AppDeps = {
    database,
    clock: Date.now,
    newId: () => newId(),
    secret: env.APP_SECRET,
    pageCache: new CacheApiPageCache(),
    renderPublishedPage: renderPublishedHtml,
    assets: assetStore(env),
    appBundle: appBundle(env),
    media: r2MediaStore(env.MEDIA),
    clientIp: (c) => c.req.header('cf-connecting-ip') ?? '0.0.0.0',
    appHosts: (env.APP_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    // Page views and beacon events only, acknowledged once queued: `sendBatch` resolves when Cloudflare
    // Queues has persisted the messages, and the consumer below retries a batch until it commits. Form
    // captures and server events (`POST /api/v1/events`) never come here: each is committed in its own
    // transaction before the request is answered (services/capture.ts), so their 2xx means stored.
    events: {
      // One queue message per event; a beacon (≤ 50 events) fits one sendBatch call.
      enqueue: async (events) => void (await env.EVENTS.sendBatch(events.map((body) => ({ body, contentType: 'json' as const })))),
      flush: async () => {},
    },
    // Each delivery is a queue message; the consumer below sends it and retries it with backoff.
    webhooks: queueWebhookDispatcher(env.WEBHOOKS),
    webhookNetwork: fetchWebhookNetwork(),
    dns: dohDnsResolver(),
    rateLimiters: {
      capture: bindingRateLimiter(env.CAPTURE_LIMITER, EDGE_RATE_LIMITS.capture),
      beacon: bindingRateLimiter(env.BEACON_LIMITER, EDGE_RATE_LIMITS.beacon),
    },
    turnstile: {
      ...(env.TURNSTILE_SECRET_KEY ? { secretKey: env.TURNSTILE_SECRET_KEY } : {}),
      ...(env.TURNSTILE_VERIFY_URL ? { verifyUrl: env.TURNSTILE_VERIFY_URL } : {}),
    },
    // With no provider configured mail is only stored; DEV_OUTBOX=1 lets members read it at /app/outbox.
    // Each such message is logged as a warning: a deployment that forgot the provider should show it
    // in its logs, not only in invitations and password resets that never arrive.
    mailer: env.EMAIL_PROVIDER_URL
      ? httpProviderMailer({ baseUrl: env.EMAIL_PROVIDER_URL, apiKey: env.EMAIL_API_KEY ?? '', from: env.EMAIL_FROM ?? '' })
      : devOutboxMailer(env.EMAIL_FROM || undefined, () =>
          log.warn('Email kept in email_outbox, not sent: EMAIL_PROVIDER_URL is not set', {
            devOutbox: env.DEV_OUTBOX === '1' ? '/app/outbox' : 'off',
          }),
        ),
    emails: queueEmailDispatcher(env.EMAILS),
    devOutbox: env.DEV_OUTBOX === '1',
    templates: assetTemplates(env),
  };
  cached = { key, app: createApp(deps), database, deps };
  return cached;
}

export default {
  async fetch(request, env, ctx) {
    return appFor(env).fetch(request, env, ctx);
  },
  /**
   * Queue consumers. Webhooks: one delivery attempt per message, retried by the queue with the
   * backoff. Events: a whole delivery in one ingest transaction; throwing retries it.
   */
  async queue(batch, env, ctx) {
    const instance = instanceFor(env);
    if (batch.queue === WEBHOOKS_QUEUE) return consumeWebhookBatch(instance.deps, batch.messages);
    if (batch.queue === EMAILS_QUEUE) return consumeEmailBatch(instance.deps, batch.messages);
    const events = batch.messages.map((m) => m.body as IngestEvent);
    const result = await ingestBatch(instance.database.client, events, Date.now());
    batch.ackAll();
    // The events are stored (acked); re-qualifying their leads never makes the queue redeliver them.
    await qualifyChangedVisitors(instance.deps, result, (work) => ctx.waitUntil(work));
  },
  /**
   * The Cron Trigger (wrangler.toml): the B2C automations of every pipeline that has them on, and
   * the sweep of due webhook deliveries. Failures are logged and the next tick tries again (every
   * step is idempotent); webhook sends the tick starts finish under waitUntil.
   */
  async scheduled(controller, env, ctx) {
    const report = await runScheduledWork(instanceFor(env).deps, (work) => ctx.waitUntil(work));
    const line = describeScheduledRun(report);
    if (line) log[report.errors.length ? 'error' : 'info'](line, { cron: controller.cron });
  },
} satisfies ExportedHandler<Env>;
