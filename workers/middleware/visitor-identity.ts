/**
 * Who a visitor is, and whether to count them at all. A first-party HttpOnly cookie survives
 * return visits; in a workspace's cookieless mode nothing is stored on the device and the id is a
 * hash of a salt that rotates daily with the IP and user agent, as privacy-first analytics do —
 * so visitors can be counted within a day but not followed across days.
 *
 * This is the HTTP edge: routes read the visitor here and hand services a plain visitor id.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { WorkspaceSettings } from '../../db/schema';
import { sha256Hex } from '../domain/crypto';
import { newId } from '../domain/ids';
import { utcDay } from '../domain/stages';
import type { AppEnv } from '../deps';
import { isHttps } from './session-cookie';

export const VISITOR_COOKIE = 'lf_vid';
const COOKIE_MAX_AGE_S = 400 * 24 * 60 * 60; // the longest browsers keep a cookie

/** Crawlers, link previews, monitors and headless tools: not visitors. */
const BOT_UA =
  /bot|crawl|spider|slurp|facebookexternalhit|embedly|preview|headless|lighthouse|pingdom|uptime|monitor|curl|wget|python-requests|httpclient|go-http-client|java\/|okhttp/i;

export type TrackingDecision = { track: false; reason: 'bot' | 'prefetch' | 'privacy_signal' } | { track: true };

export function shouldTrack(c: Context, settings: WorkspaceSettings): TrackingDecision {
  const ua = c.req.header('user-agent') ?? '';
  if (!ua || BOT_UA.test(ua)) return { track: false, reason: 'bot' };
  const purpose = `${c.req.header('sec-purpose') ?? ''} ${c.req.header('purpose') ?? ''} ${c.req.header('x-moz') ?? ''}`;
  if (/prefetch|prerender/i.test(purpose)) return { track: false, reason: 'prefetch' };
  if (settings.honorPrivacySignals && (c.req.header('sec-gpc') === '1' || c.req.header('dnt') === '1')) {
    return { track: false, reason: 'privacy_signal' };
  }
  return { track: true };
}

/**
 * The visitor id for this request. With `create`, a cookie-mode visitor without a cookie gets one
 * (on page views); beacons never create ids, they only use the one the page view set.
 */
export async function visitorId(
  c: Context<AppEnv>,
  workspaceId: string,
  settings: WorkspaceSettings,
  create: boolean,
): Promise<string | null> {
  const visitor = await resolveVisitor(c, workspaceId, settings, create);
  if (visitor?.fresh) rememberVisitor(c, visitor.id);
  return visitor?.id ?? null;
}

/**
 * The visitor id for this request without setting anything: with `create`, a cookie-mode visitor
 * without a cookie gets a new id (`fresh`), which `rememberVisitor` then stores in the cookie — so
 * a form post sets the cookie only once the capture is stored.
 */
export async function resolveVisitor(
  c: Context<AppEnv>,
  workspaceId: string,
  settings: WorkspaceSettings,
  create: boolean,
): Promise<{ id: string; fresh: boolean } | null> {
  const { deps } = c.var;
  if (settings.cookieless) {
    const day = utcDay(deps.clock());
    const ip = deps.clientIp(c);
    const ua = c.req.header('user-agent') ?? '';
    // Prefixed with the day the salt belongs to, so a day's visitors sit together in the indexes.
    return {
      id: `c${day.replaceAll('-', '')}${(await sha256Hex(`${deps.secret}|salt|${day}|${workspaceId}|${ip}|${ua}`)).slice(0, 24)}`,
      fresh: false,
    };
  }
  const existing = getCookie(c, VISITOR_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{16,40}$/.test(existing)) return { id: existing, fresh: false };
  if (!create) return null;
  // Time-ordered, like every other id: a batch of events is mostly today's visitors, whose rows then
  // sit together at the end of the visitor indexes instead of dirtying a random page each.
  return { id: `v${newId(deps.clock())}`, fresh: true };
}

/** Keeps a new cookie-mode visitor id on the device (first-party, HttpOnly). */
export function rememberVisitor(c: Context<AppEnv>, id: string): void {
  setCookie(c, VISITOR_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
    path: '/',
    maxAge: COOKIE_MAX_AGE_S,
  });
}

/** UTM parameters, referrer and landing page of a page view. */
export function touchOf(c: Context): Record<string, string> {
  const url = new URL(c.req.url);
  const touch: Record<string, string> = {};
  for (const [param, key] of [
    ['utm_source', 'source'],
    ['utm_medium', 'medium'],
    ['utm_campaign', 'campaign'],
    ['utm_term', 'term'],
    ['utm_content', 'content'],
  ] as const) {
    const value = url.searchParams.get(param);
    if (value) touch[key] = value.slice(0, 100);
  }
  const referrer = c.req.header('referer');
  if (referrer) {
    try {
      const ref = new URL(referrer);
      // A referrer from another site with no UTM tags still says where the visit came from.
      if (ref.host !== url.host) {
        touch.referrer = ref.origin + ref.pathname;
        touch.source ??= ref.hostname.replace(/^www\./, '');
        touch.medium ??= 'referral';
      }
    } catch {
      /* not a URL: ignore */
    }
  }
  touch.landingPage = url.pathname;
  return touch;
}
