/**
 * `POST /e`: the tracker's beacon. A batch of at most 50 events and 16 KB, validated as a whole —
 * a malformed batch is refused entirely, never half stored. Accepted events are queued (group
 * commit locally, a Cloudflare Queue on Workers) and the beacon gets 202 at once.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as z from 'zod';
import { AppError, TooManyAttempts, badRequest } from '../../domain/errors';
import type { AppEnv } from '../../deps';
import { validate } from '../../middleware/validate';
import type { IngestEvent } from '../../services/ingest';
import { pageCacheKey } from '../../services/page-cache';
import type { CachedPage } from '../../services/ports';
import { funnelSlugForDomain } from '../../services/published-pages';
import { shouldTrack, visitorId } from '../../middleware/visitor-identity';
import { cachedPage } from './landing';
import { edgeLimit } from './capture-context';
import { hashIp } from '../../services/capture';

export const BEACON_MAX_EVENTS = 50;
export const BEACON_MAX_BYTES = 16 * 1024;
/** Events may be a day old (a beacon retried from the outbox) or a few minutes ahead (clock skew). */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;
const MAX_SKEW_MS = 5 * 60 * 1000;

/** What a browser may report; purchases, refunds and unsubscribes come from the server API only. */
export const BEACON_EVENT_TYPES = [
  'engaged',
  'cta_click',
  'form_start',
  'quiz_start',
  'quiz_answer',
  'quiz_complete',
  'offer_view',
  'checkout_start',
] as const;

const beaconSchema = z.object({
  events: z
    .array(
      z.object({
        id: z.string().regex(/^[A-Za-z0-9_-]{16,40}$/, 'Event ids are 16–40 characters of [A-Za-z0-9_-].'),
        type: z.enum(BEACON_EVENT_TYPES),
        at: z.number().int().positive(),
        path: z.string().startsWith('/').max(300),
        props: z.record(z.string().max(40), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
      }),
    )
    .min(1)
    .max(BEACON_MAX_EVENTS, `At most ${BEACON_MAX_EVENTS} events per request.`),
});

/**
 * `/p/<funnel>[/<page>]` → that page's slugs; on a funnel's custom domain, `/` and `/<page>` →
 * the slugs of the funnel mapped to this host.
 */
async function pageSlugsOf(c: Context<AppEnv>, path: string, hostFunnel: () => Promise<string | null>): Promise<[string, string] | null> {
  const m = /^\/p\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?\/?$/.exec(path);
  if (m) return [m[1]!, m[2] ?? ''];
  const onDomain = /^\/([a-z0-9-]*)$/.exec(path);
  const funnelSlug = onDomain ? await hostFunnel() : null;
  return funnelSlug ? [funnelSlug, onDomain![1] ?? ''] : null;
}

async function resolvePage(
  c: Context<AppEnv>,
  path: string,
  memo: Map<string, CachedPage | null>,
  hostFunnel: () => Promise<string | null>,
): Promise<CachedPage | null> {
  const slugs = await pageSlugsOf(c, path, hostFunnel);
  if (!slugs) return null;
  const key = pageCacheKey(...slugs);
  if (!memo.has(key)) memo.set(key, await cachedPage(c, ...slugs));
  const page = memo.get(key)!;
  return page?.status === 200 ? page : null;
}

export const trackRoutes = new Hono<AppEnv>().post(
  '/e',
  // Before the body is read or any page looked up. The tracker sends with sendBeacon, which cannot
  // see the answer: a refused batch is simply lost, which is the point for a flood. A real page
  // sends a beacon or two per view (when hidden, or left), far below the limit.
  async (c, next) => {
    const { deps } = c.var;
    const burst = await edgeLimit(c, 'beacon', await hashIp(deps.secret, deps.clientIp(c)));
    if (!burst.ok) throw new TooManyAttempts(burst.retryAfterSeconds, 'Too many tracking requests from this address.', 'rate_limited');
    await next();
  },
  bodyLimit({
    maxSize: BEACON_MAX_BYTES,
    onError: () => {
      throw new AppError(413, 'payload_too_large', `A beacon may carry at most ${BEACON_MAX_BYTES / 1024} KB.`);
    },
  }),
  validate('json', beaconSchema),
  async (c) => {
    const { deps } = c.var;
    const { events } = c.req.valid('json');
    const now = deps.clock();
    const memo = new Map<string, CachedPage | null>();
    let hostLookup: Promise<string | null> | undefined;
    const hostFunnel = () => (hostLookup ??= funnelSlugForDomain(deps.database.db, new URL(c.req.url).hostname.toLowerCase()));
    const accepted: IngestEvent[] = [];
    // Validate everything first: one bad event refuses the batch, so nothing is partly stored.
    for (const [i, e] of events.entries()) {
      if (e.at < now - MAX_AGE_MS || e.at > now + MAX_SKEW_MS) {
        throw new AppError(400, 'validation_failed', 'Event time is outside the accepted window.', [
          { path: `events.${i}.at`, message: 'More than a day old or in the future.' },
        ]);
      }
      const page = await resolvePage(c, e.path, memo, hostFunnel);
      if (!page) throw badRequest(`No published page at ${e.path}.`, 'unknown_page');
      if (!shouldTrack(c, page.settings).track) continue;
      // Beacons never create visitors: the page view set the cookie (or the visitor is cookieless).
      const visitor = await visitorId(c, page.workspaceId, page.settings, false);
      if (!visitor) continue;
      accepted.push({
        id: e.id,
        workspaceId: page.workspaceId,
        visitorId: visitor,
        type: e.type,
        occurredAt: e.at,
        funnelId: page.funnelId,
        pageId: page.pageId,
        pageSlug: page.pageSlug,
        props: e.props ?? {},
      });
    }
    if (accepted.length) await deps.events.enqueue(accepted);
    return c.json({ accepted: accepted.length }, 202);
  },
);
