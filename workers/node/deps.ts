import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { ingestTarget, type Database } from '../../db/types';
import type { AppDeps } from '../deps';
import { newId } from '../domain/ids';
import { qualifyChangedVisitors } from '../services/after-ingest';
import { useHmacSha256 } from '../domain/signed-tokens';
import { renderPublishedHtml } from '../../pages-ui/landing/funnel-page';
import { fileAppBundle, fileAssetStore } from './assets';
import { fileMediaStore } from './media-store';
import { groupCommitSink } from './event-sink';
import { MemoryPageCache } from './page-cache';
import { nodeDnsResolver } from './dns-resolver';
import { nodeWebhookDispatcher, nodeWebhookNetwork } from './webhook-dispatcher';
import { nodeEmailDispatcher } from './email-dispatcher';
import { devOutboxMailer } from '../services/mailers';
import { log } from '../logger';
import { EDGE_RATE_LIMITS } from '../domain/capture-limits';
import { memoryRateLimiter } from './rate-limiter';
import { bundledTemplates } from './template-catalog';

// Same bytes as WebCrypto's HMAC, without its per-call thread-pool hop (see signed-tokens.ts).
useHmacSha256((secret, data) => createHmac('sha256', secret).update(data).digest());

/** The socket's address (@hono/node-server passes the Node request as `c.env.incoming`). */
function socketAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? '127.0.0.1';
}

/** Where uploads live locally unless `MEDIA_DIR` (or a test) says otherwise; .data/ is ignored by git. */
export const DEFAULT_MEDIA_DIR = '.data/media';

/** Deps of the local runtime; node.ts and the tests both build the app from these. */
export function nodeDeps(database: Database, secret: string, overrides: Partial<AppDeps> = {}): AppDeps {
  const clock = overrides.clock ?? Date.now;
  const webhookNetwork = overrides.webhookNetwork ?? nodeWebhookNetwork();
  // Nothing configured: mail stays in the dev outbox (/app/outbox), which is then on.
  const mailer = overrides.mailer ?? devOutboxMailer();
  const deps: AppDeps = {
    database,
    clock,
    newId: () => newId(clock()),
    secret,
    pageCache: new MemoryPageCache(),
    renderPublishedPage: renderPublishedHtml,
    assets: fileAssetStore(),
    appBundle: fileAppBundle(),
    media: fileMediaStore(DEFAULT_MEDIA_DIR),
    clientIp: socketAddress,
    events: groupCommitSink(ingestTarget(database), {
      clock,
      afterBatch: (result) =>
        qualifyChangedVisitors(deps, result, (work) => (deps.waitUntil ? deps.waitUntil(work) : void work.catch(logFailure))),
    }),
    webhookNetwork,
    webhooks: overrides.webhooks ?? nodeWebhookDispatcher({ database, clock, webhookNetwork }),
    dns: nodeDnsResolver(),
    rateLimiters: {
      capture: memoryRateLimiter(EDGE_RATE_LIMITS.capture, clock),
      beacon: memoryRateLimiter(EDGE_RATE_LIMITS.beacon, clock),
    },
    mailer,
    emails: overrides.emails ?? nodeEmailDispatcher({ database, clock, mailer }),
    devOutbox: mailer.kind === 'dev-outbox',
    templates: bundledTemplates,
    ...overrides,
  };
  return deps;
}

const logFailure = (err: unknown) => log.error('Background task failed', { err });
