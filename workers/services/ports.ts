/**
 * What the services need from the runtime, as interfaces. Each runtime supplies its own adapters
 * (workers/node/ on Node, workers/cloudflare/ on Workers) through `AppDeps`; tests swap them.
 * Services depend on these types only, never on an adapter.
 */
import type { WorkspaceSettings } from '../../db/schema';
import type { PageContent } from '../domain/blocks';
import type { FunnelPageRef } from '../domain/funnel-links';
import type { FunnelTemplate } from '../domain/templates/types';
import type { IngestEvent } from './ingest';

// ── Published pages: the page cache and the renderer ────────────────────────

/**
 * Published pages by public path. Locally an in-memory LRU (node/page-cache.ts); on Workers the
 * Cache API (cloudflare/page-cache.ts). Entries are invalidated when a page of the funnel is
 * published, unpublished, moved or deleted; keys come from `pageCacheKey` (page-cache.ts).
 */
export interface CachedPage {
  /** 200 with the page, or 410 for a page taken down (so repeated hits skip the database too). */
  status: 200 | 410;
  html: string;
  workspaceId: string;
  funnelId: string;
  pageId: string;
  pageVersionId: string;
  /** Content-Security-Policy for this page (depends on its blocks). */
  csp: string;
  /** For tracking page views without another read. */
  pageSlug: string;
  settings: WorkspaceSettings;
}

export interface PageCache {
  get(key: string): Promise<CachedPage | undefined>;
  /**
   * `readSince`: what `generation()` said before the page was read from the database. A read
   * that an invalidation overtook (a publish landed meanwhile) is stale and is not kept.
   */
  put(key: string, page: CachedPage, readSince?: number): Promise<void>;
  delete(keys: string[]): Promise<void>;
  /** Bumped by every `delete`, where the cache can tell (the Cache API's one-minute expiry bounds staleness there). */
  generation?(): number;
}

/**
 * Renders a page's content into the HTML stored with a published version, given where the page
 * sits in its funnel. The landing renderer (pages-ui/landing/funnel-page.ts) is wired in by the
 * runtime, so services publish pages without importing the UI.
 */
export type PublishedPageRenderer = (content: PageContent, funnelSlug: string, pageSlug: string, siblings: FunnelPageRef[]) => string;

// ── Tracking events ──────────────────────────────────────────────────────────

/**
 * Where accepted events go before ingest. On Workers: a Cloudflare Queue, whose consumer calls
 * `ingestBatch` (cloudflare.ts). Locally: an in-process group-commit buffer (node/event-sink.ts)
 * — many small beacons become one transaction every few milliseconds.
 */
export interface EventSink {
  /** Resolves once the events are accepted (queued), not necessarily stored. */
  enqueue(events: IngestEvent[]): Promise<void>;
  /** Writes everything accepted so far (shutdown, tests). */
  flush(): Promise<void>;
}

// ── Webhooks ─────────────────────────────────────────────────────────────────

/** Sends deliveries already written to `webhook_deliveries` (the outbox): in-process on Node, a Cloudflare Queue on Workers. */
export interface WebhookDispatcher {
  /** Called after the transaction that wrote these delivery rows committed; resolves when they were handed on (Workers) or attempted (Node). */
  dispatch(deliveryIds: string[]): Promise<void>;
  /** Cancels scheduled retry timers (Node); the rows stay pending for the next sweep. */
  stop?(): void;
}

export interface WebhookRequest {
  url: URL;
  /**
   * The addresses the target resolved to when it was checked. A transport that can pin its
   * connection (Node) connects to these instead of resolving again, so DNS cannot change between
   * the check and the send.
   */
  addresses?: string[];
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface WebhookResponse {
  status: number;
  /** The `Location` of a redirect, which is reported and never followed. */
  location: string | null;
  /** The start of the response body, for the log; the rest is discarded unread. */
  snippet: string;
}

/**
 * How deliveries reach the internet. Each runtime builds its own (Node: node:dns + pinned https,
 * node/webhook-dispatcher.ts; Workers: fetch, cloudflare/webhooks.ts). Tests swap it to reach a
 * receiver on loopback; nothing in env or config can.
 */
export interface WebhookNetwork {
  /** Every address a host name resolves to. Absent where the runtime has no DNS API (Workers). */
  resolve?: (hostname: string) => Promise<string[]>;
  /** POSTs one delivery without following redirects; rejects on network errors and timeouts. */
  send: (request: WebhookRequest) => Promise<WebhookResponse>;
}

// ── DNS ──────────────────────────────────────────────────────────────────────

/** How long a custom-domain or webhook-target check waits for DNS before it says so (the adapters and the services hold to it). */
export const DNS_TIMEOUT_MS = 2000;

/**
 * DNS lookups for the custom-domain check. Node: node:dns/promises (node/dns-resolver.ts);
 * Workers, which have no DNS API: DNS over HTTPS to cloudflare-dns.com (cloudflare/dns-resolver.ts).
 * Tests inject a fake. A name that does not exist or has no such record answers [], never an
 * error; a timeout or a failing resolver rejects.
 */
export interface DnsResolver {
  /** The CNAME target of `name` (lower case, without the trailing dot), [] when it has none. */
  cname(name: string): Promise<string[]>;
  /** The IPv4 and IPv6 addresses `name` resolves to, [] when none. */
  addresses(name: string): Promise<string[]>;
}

// ── Static files ─────────────────────────────────────────────────────────────

export interface StoredAsset {
  body: ArrayBuffer | ReadableStream;
  contentType: string;
  size?: number;
}

/**
 * The funnel templates, in the gallery's order. Node imports them (domain/templates); the Worker
 * reads them as data from its static assets, so their pages (~15 KB gzip) are not part of the
 * script every isolate compiles.
 */
export interface TemplateCatalog {
  all(): Promise<readonly FunnelTemplate[]>;
}

/** Static files: public ones under /assets, gated lead-magnet files only through signed links. */
export interface AssetStore {
  /** A file by path relative to the assets folder (e.g. `gated/guide.pdf`), or null. */
  get(path: string): Promise<StoredAsset | null>;
}

// ── Media library ────────────────────────────────────────────────────────────

export interface StoredObject {
  body: ReadableStream | ArrayBuffer;
  size: number;
}

/**
 * Uploaded images and lead-magnet files by key (`images/<sha256 prefix>/<id>.<ext>`,
 * `files/<workspace>/<id>.pdf`). On Workers an R2 bucket (cloudflare/media-store.ts); locally a
 * folder under `.data/media/` (node/media-store.ts). Keys are made by services/media.ts only.
 */
export interface MediaStore {
  /**
   * Stores the bytes under the key: the object appears whole or not at all. `sha256` (hex) is the
   * bytes' digest, which a store that can verify it (R2) checks on arrival.
   */
  put(key: string, bytes: Uint8Array, meta: { contentType: string; sha256: string }): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  /** Removes the object; a missing key is not an error. */
  delete(key: string): Promise<void>;
}

// ── Edge rate limits ─────────────────────────────────────────────────────────

export type RateLimitOutcome = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * A burst limit counted before a request is processed (capture posts, the tracking beacon). On
 * Workers Cloudflare's rate-limiting binding (cloudflare/rate-limiter.ts: counted per Cloudflare
 * location, eventually consistent — a cheap first line, not an exact count); locally an in-process
 * sliding window (node/rate-limiter.ts). The exact, shared per-form limit of capture stays in the
 * database (services/capture.ts `DEFAULT_CAPTURE_LIMITS`, rate-limits.ts).
 */
export interface RateLimiter {
  /** Counts one request under `key`; not ok when the key is over its limit. */
  limit(key: string): Promise<RateLimitOutcome>;
}

export interface EdgeRateLimiters {
  /** Form posts (published pages, embedded forms), keyed by IP hash and funnel. */
  capture: RateLimiter;
  /** `POST /e`, keyed by IP hash. */
  beacon: RateLimiter;
}

// ── Email ────────────────────────────────────────────────────────────────────

/** One message as the provider gets it: both bodies, and extra headers such as `List-Unsubscribe`. */
export interface OutgoingEmail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Lets a provider drop a repeated send of the same outbox row (Resend's `Idempotency-Key`). */
  idempotencyKey: string;
}

/**
 * A send that did not happen. `permanent`: sending the same message again cannot succeed (the
 * provider refused the address or the request: HTTP 4xx other than 408/429), so it is not retried;
 * anything else (5xx, 429, a timeout, a network error) is tried again after the backoff.
 */
export class EmailSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EmailSendError';
  }
}

/**
 * How mail leaves. An HTTP provider through fetch (services/mailers.ts: a Resend-compatible JSON
 * API), or, with none configured, the dev outbox (the message stays in `email_outbox`, viewable at
 * /app/outbox). Called only by the dispatcher (services/email.ts), never inside a request.
 */
export interface Mailer {
  /** `dev-outbox` never sends anything: the app shows the stored message instead. */
  readonly kind: 'provider' | 'dev-outbox';
  /** The sender used when a message names none (EMAIL_FROM). */
  readonly defaultFrom: string;
  /** Resolves with the provider's message id; rejects with `EmailSendError` (or any error, read as transient). */
  send(message: OutgoingEmail): Promise<{ providerId: string }>;
}

/** Sends outbox rows after the write that queued them committed: in-process on Node, a Cloudflare Queue on Workers. */
export interface EmailDispatcher {
  dispatch(emailIds: string[]): Promise<void>;
  /** Cancels scheduled retry timers (Node); the rows stay queued for the next sweep. */
  stop?(): void;
}
