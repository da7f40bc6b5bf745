/**
 * What services are given. `ServiceDeps` is the runtime-neutral part of the app's deps (the
 * HTTP edge adds its own in workers/deps.ts); `serviceContext` turns it into the one context shape
 * services take — each service asks for the fields it uses with `Pick<ServiceCtx, …>`. Requests
 * build it with `serviceCtx(c)` (routes/service-context.ts), background work (the scheduler,
 * after ingest) with `serviceContext(deps, background)`.
 */
import type { Client } from '@libsql/client';
import type { Database, Db } from '../../db/types';
import type { IdGenerator } from '../domain/ids';
import type {
  DnsResolver,
  EmailDispatcher,
  EventSink,
  Mailer,
  MediaStore,
  PageCache,
  PublishedPageRenderer,
  TemplateCatalog,
  WebhookDispatcher,
  WebhookNetwork,
} from './ports';

export interface ServiceDeps {
  database: Database;
  /** UTC epoch milliseconds. */
  clock: () => number;
  newId: IdGenerator;
  /** Signs form tokens and download links and keys IP hashes. Never in the repo: env / Worker secret. */
  secret: string;
  /** Published pages by public path (in-memory LRU locally, Cache API on Workers). */
  pageCache: PageCache;
  /** Renders a published page's HTML (pages-ui/landing/funnel-page.ts), wired in by the runtime. */
  renderPublishedPage: PublishedPageRenderer;
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
  /** DNS lookups for custom-domain checks (node:dns on Node, DNS over HTTPS on Workers); tests inject a fake. */
  dns: DnsResolver;
  /** Uploaded images and lead-magnet files: an R2 bucket on Workers, a folder under `.data/media/` locally. */
  media: MediaStore;
  /** How mail leaves: an HTTP provider, or the dev outbox when none is configured (services/mailers.ts). */
  mailer: Mailer;
  /** Sends committed `email_outbox` rows: in-process on Node, a Cloudflare Queue on Workers. */
  emails: EmailDispatcher;
  /** The funnel templates (bundled on Node, a static asset on Workers). */
  templates: TemplateCatalog;
}

export interface ServiceCtx {
  db: Db;
  /** The raw libSQL client, for bulk statements (imports). */
  client: Client;
  clock: () => number;
  newId: IdGenerator;
  /** Hands the ids of committed webhook deliveries to the dispatcher; never throws or blocks the caller. */
  notify: (deliveryIds: string[]) => void;
  /** Hands the ids of committed `email_outbox` rows to the email dispatcher (services/email.ts); never throws or blocks. */
  notifyEmails: (emailIds: string[]) => void;
  /** Keeps work going after the caller is answered (waitUntil on Workers, tracked on Node). */
  background: (work: Promise<unknown>) => void;
  pageCache: PageCache;
  renderPublishedPage: PublishedPageRenderer;
  webhookNetwork: WebhookNetwork;
  dns: DnsResolver;
  media: MediaStore;
  templates: TemplateCatalog;
}

/** The context for one unit of work; `background` keeps the runtime alive for what outlives it (webhook sends). */
export function serviceContext(deps: ServiceDeps, background: (work: Promise<unknown>) => void): ServiceCtx {
  return {
    db: deps.database.db,
    client: deps.database.client,
    clock: deps.clock,
    newId: deps.newId,
    notify: (ids) => {
      if (ids.length) background(deps.webhooks.dispatch(ids));
    },
    notifyEmails: (ids) => {
      if (ids.length) background(deps.emails.dispatch(ids));
    },
    background,
    pageCache: deps.pageCache,
    renderPublishedPage: deps.renderPublishedPage,
    webhookNetwork: deps.webhookNetwork,
    dns: deps.dns,
    media: deps.media,
    templates: deps.templates,
  };
}
