/**
 * The public side of funnels: published pages at `/p/<funnel>[/<page>]` (or on a custom domain),
 * their form posts, lead-magnet downloads and public assets.
 */
import { isMalformedBody, readFormBody, type FormBody } from '../../middleware/request-body';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { and, eq, sql } from 'drizzle-orm';
import { funnelPages, funnels, leads, memberships } from '../../../db/schema';
import type { PageContent } from '../../domain/blocks';
import { formValuesFromBody } from '../../domain/form-submission';
import { resolveCtaTarget } from '../../domain/funnel-links';
import { signToken, verifyToken } from '../../domain/signed-tokens';
import type { AppEnv } from '../../deps';
import { readSessionCookie } from '../../middleware/session-cookie';
import { resolveSession } from '../../services/sessions';
import { HONEYPOT_FIELD, SUBMISSION_TOKEN_PLACEHOLDER } from '../../../pages-ui/landing/form-constants';
import { contentSecurityPolicy } from '../../../pages-ui/landing/render-page';
import type { RenderContext } from '../../../pages-ui/landing/render-context';
import { resultDomId } from '../../../pages-ui/landing/form-parts';
import { captureSubmission, hashIp, issueSubmissionToken, type CaptureResult } from '../../services/capture';
import { edgeLimit, humanCheckFor, requestCaptureContext } from './capture-context';
import { TURNSTILE_RESPONSE_FIELD, turnstileCsp, withTurnstile } from '../../../pages-ui/landing/turnstile';
import { pageCacheKey } from '../../services/page-cache';
import type { CachedPage } from '../../services/ports';
import { funnelRenderContext, renderWithState } from '../../../pages-ui/landing/funnel-page';
import type { WorkspaceSettings } from '../../../db/schema';
import { afterResponse } from '../../middleware/after-response';
import type { IngestEvent } from '../../services/ingest';
import { rememberVisitor, resolveVisitor, shouldTrack, touchOf, visitorId } from '../../middleware/visitor-identity';
import { findPublishedPage, funnelPageRefs, funnelSlugForDomain, type PublishedPage } from '../../services/published-pages';
import { MEDIA_REF_PREFIX, readLeadMagnetFile } from '../../services/media';
import { attachmentDisposition } from '../../domain/media';
import { signDownloadToken, type DownloadToken } from '../../domain/download-links';

const RESULT_TTL_MS = 24 * 60 * 60 * 1000;
/** Public form posts are read into memory, so they are bounded like API bodies (a 5,000-character answer is under 50 KB encoded). */
const FORM_BODY_LIMIT_BYTES = 256 * 1024;

interface ResultToken {
  /** Block id. */
  b: string;
  kind: 'quiz' | 'download' | 'done';
  /** Quiz score and outcome id. */
  sc?: number;
  o?: string | null;
  /** Download token for lead magnets. */
  d?: string;
  e: number;
}

/** No script, nothing loaded, no forms: the message pages are text and their inline style. */
const MESSAGE_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'";

/** A plain, self-contained page for statuses and messages (not found, gone, too many attempts…). */
function messagePage(c: Context<AppEnv>, status: number, title: string, text: string, headers: Record<string, string> = {}) {
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeText(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1c1f26}</style></head><body><main><h1>${escapeText(title)}</h1>${text ? `<p>${escapeText(text)}</p>` : ''}</main></body></html>`,
    status as 200,
    { 'cache-control': 'no-store', 'content-security-policy': MESSAGE_PAGE_POLICY, ...headers },
  );
}

function notFoundPage(c: Context<AppEnv>, status: 404 | 410) {
  return status === 410
    ? messagePage(c, 410, 'This page is no longer available', 'The page you are looking for has been taken down by its owner.')
    : messagePage(c, 404, 'Page not found', 'There is no page at this address.');
}

const utf8 = new TextEncoder();
/** A cached page's HTML as UTF-8, split at the token placeholders — encoded once per cache entry, not per view. */
const encodedPages = new WeakMap<CachedPage, Uint8Array[]>();

function encodedParts(page: CachedPage): Uint8Array[] {
  let parts = encodedPages.get(page);
  if (!parts) {
    parts = page.html.split(SUBMISSION_TOKEN_PLACEHOLDER).map((part) => utf8.encode(part));
    encodedPages.set(page, parts);
  }
  return parts;
}

/** Published HTML with a fresh submission token in every form; never stored by shared caches. */
async function servePage(c: Context<AppEnv>, page: CachedPage) {
  const { secret, clock } = c.var.deps;
  const parts = encodedParts(page);
  let body = parts[0]!;
  if (parts.length > 1) {
    const token = utf8.encode(await issueSubmissionToken(secret, page.pageVersionId, clock()));
    body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0) + token.length * (parts.length - 1));
    let offset = 0;
    parts.forEach((part, i) => {
      if (i > 0) {
        body.set(token, offset);
        offset += token.length;
      }
      body.set(part, offset);
      offset += part.length;
    });
  }
  return c.body(body as Uint8Array<ArrayBuffer>, 200, {
    'content-type': 'text/html; charset=UTF-8',
    'content-security-policy': page.csp,
    'cache-control': 'private, no-cache',
  });
}

/**
 * The published HTML is the same for every workspace setting; the tracker learns about cookieless
 * mode and privacy signals from attributes on <html>, added when the page enters the cache (the
 * cache is cleared when the settings change).
 */
function withTrackingFlags(html: string, settings: WorkspaceSettings): string {
  const flags = `${settings.cookieless ? ' data-lf-cookieless' : ''}${settings.honorPrivacySignals ? ' data-lf-privacy' : ''}`;
  return flags ? html.replace('<html', `<html${flags}`) : html;
}

/**
 * The policy for stored HTML: its script hashes are taken from the scripts the stored version
 * actually contains, so a page published before the islands or tracker changed keeps running
 * (the current build's hashes would block its older inline scripts).
 */
async function cspForStoredHtml(content: PageContent, html: string): Promise<string> {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script(?![^>]*type="application\/json")[^>]*>([\s\S]*?)<\/script>/g)) {
    // An external script (Turnstile's) has no inline content to hash; its origin is allowed by name.
    if (!m[1]) continue;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(m[1])));
    hashes.push(`'sha256-${btoa(String.fromCharCode(...digest))}'`);
  }
  const directives = contentSecurityPolicy(content)
    .split('; ')
    .filter((d) => !d.startsWith('script-src'));
  if (hashes.length) directives.push(`script-src ${hashes.join(' ')}`);
  return directives.join('; ');
}

/** Stored HTML as visitors get it: with the Turnstile widget when the funnel has the check on, and its policy. */
async function publicHtml(content: PageContent, html: string, turnstileSiteKey: string | null): Promise<{ html: string; csp: string }> {
  if (!turnstileSiteKey) return { html, csp: await cspForStoredHtml(content, html) };
  const withWidget = withTurnstile(html, turnstileSiteKey);
  const csp = await cspForStoredHtml(content, withWidget);
  return { html: withWidget, csp: withWidget === html ? csp : turnstileCsp(csp) };
}

/** Records a server-side page view (no JavaScript needed), after the response. */
async function recordPageView(c: Context<AppEnv>, page: CachedPage): Promise<void> {
  if (!shouldTrack(c, page.settings).track) return;
  const visitor = await visitorId(c, page.workspaceId, page.settings, true);
  if (!visitor) return;
  const { deps } = c.var;
  const event: IngestEvent = {
    id: deps.newId(),
    workspaceId: page.workspaceId,
    visitorId: visitor,
    type: 'page_view',
    occurredAt: deps.clock(),
    funnelId: page.funnelId,
    pageId: page.pageId,
    pageSlug: page.pageSlug,
    touch: touchOf(c),
  };
  afterResponse(c, deps.events.enqueue([event]));
}

/** Cached published page for a path; on a miss one database read fills the cache (410s included). */
export async function cachedPage(c: Context<AppEnv>, funnelSlug: string, pageSlug: string): Promise<CachedPage | null> {
  const { pageCache, database } = c.var.deps;
  const key = pageCacheKey(funnelSlug, pageSlug);
  const hit = await pageCache.get(key);
  if (hit) return hit;
  const readSince = pageCache.generation?.();
  const found = await findPublishedPage(database.db, funnelSlug, pageSlug);
  if (!found || (!found.pageVersionId && !found.wasPublished)) return null;
  const common = {
    workspaceId: found.workspaceId,
    funnelId: found.funnelId,
    pageId: found.pageId,
    pageSlug: found.pageSlug,
    settings: found.settings,
  };
  const shown = found.pageVersionId ? await publicHtml(found.content!, found.html!, found.turnstileSiteKey) : null;
  const entry: CachedPage = shown
    ? {
        ...common,
        status: 200,
        html: withTrackingFlags(shown.html, found.settings),
        pageVersionId: found.pageVersionId!,
        csp: shown.csp,
      }
    : { ...common, status: 410, html: '', pageVersionId: '', csp: '' };
  await pageCache.put(key, entry, readSince);
  return entry;
}

async function renderDynamic(
  c: Context<AppEnv>,
  page: PublishedPage,
  state: Partial<RenderContext>,
  status: 200 | 400 | 429 | 503 = 200,
  headers: Record<string, string> = {},
) {
  const siblings = await funnelPageRefs(c.var.deps.database.db, page.funnelId);
  const rendered = renderWithState(page.content!, page.funnelSlug, page.pageSlug, siblings, { now: c.var.deps.clock(), ...state });
  const { html, csp } = page.turnstileSiteKey
    ? await publicHtml(page.content!, rendered, page.turnstileSiteKey)
    : { html: rendered, csp: contentSecurityPolicy(page.content!) };
  return servePage(c, {
    status: 200,
    html: withTrackingFlags(html, page.settings),
    workspaceId: page.workspaceId,
    funnelId: page.funnelId,
    pageId: page.pageId,
    pageSlug: page.pageSlug,
    settings: page.settings,
    pageVersionId: page.pageVersionId!,
    csp,
  }).then((res) => {
    if (status === 200) return res;
    const all = new Headers(res.headers);
    for (const [name, value] of Object.entries(headers)) all.set(name, value);
    return new Response(res.body, { status, headers: all });
  });
}

async function showPage(c: Context<AppEnv>, funnelSlug: string, pageSlug: string) {
  const { deps } = c.var;
  if (c.req.query('preview') !== undefined) return previewDraft(c, funnelSlug, pageSlug);
  const resultParam = c.req.query('result');
  if (resultParam) {
    const result = await verifyToken<ResultToken>(deps.secret, resultParam);
    const page = await findPublishedPage(deps.database.db, funnelSlug, pageSlug);
    if (!page?.pageVersionId) return notFoundPage(c, page?.wasPublished ? 410 : 404);
    if (result && result.e > deps.clock()) return renderDynamic(c, page, resultState(page.content!, result));
  }
  const cached = await cachedPage(c, funnelSlug, pageSlug);
  if (!cached) return notFoundPage(c, 404);
  if (cached.status === 410) return notFoundPage(c, 410);
  if (c.req.method === 'GET') await recordPageView(c, cached);
  return servePage(c, cached);
}

function resultState(content: PageContent, result: ResultToken): Partial<RenderContext> {
  if (result.kind === 'quiz') {
    const block = content.blocks.find((b) => b.id === result.b);
    const outcome = block?.type === 'quiz' ? block.outcomes.find((o) => o.id === result.o) : undefined;
    return {
      quizResult: {
        blockId: result.b,
        score: result.sc ?? 0,
        outcome: outcome ? { title: outcome.title, description: outcome.description } : null,
      },
    };
  }
  if (result.kind === 'download') return { download: { blockId: result.b, url: `/d/${result.d}` } };
  return { formDone: { blockId: result.b } };
}

/** A signed-in member of the funnel's workspace sees the current draft, never cached or indexed. */
async function previewDraft(c: Context<AppEnv>, funnelSlug: string, pageSlug: string) {
  const { db } = c.var.deps.database;
  // Sessions are resolved here only: ordinary page views never touch the session table.
  const token = readSessionCookie(c);
  const user = token ? (await resolveSession(db, token, c.var.deps.clock()))?.user : undefined;
  if (!user) return c.redirect(`/login?next=${encodeURIComponent(c.req.path + '?preview')}`);
  const [row] = await db
    .select({ draft: funnelPages.draft, slug: funnelPages.slug, funnelId: funnels.id })
    .from(funnels)
    .innerJoin(funnelPages, eq(funnelPages.funnelId, funnels.id))
    .innerJoin(memberships, and(eq(memberships.workspaceId, funnels.workspaceId), eq(memberships.userId, user.id)))
    .where(and(eq(funnels.slug, funnelSlug), pageSlug ? eq(funnelPages.slug, pageSlug) : sql`1 = 1`))
    .orderBy(funnelPages.position)
    .limit(1);
  if (!row) return notFoundPage(c, 404);
  const siblings = await funnelPageRefs(db, row.funnelId);
  const html = renderWithState(row.draft as PageContent, funnelSlug, row.slug, siblings, { preview: true, now: c.var.deps.clock() });
  return c.html(html.replaceAll(SUBMISSION_TOKEN_PLACEHOLDER, 'preview'), 200, {
    'content-security-policy': contentSecurityPolicy(row.draft as PageContent),
    'cache-control': 'no-store',
    'x-robots-tag': 'noindex',
  });
}

const formBodyLimit = bodyLimit({
  maxSize: FORM_BODY_LIMIT_BYTES,
  onError: (c) => messagePage(c as Context<AppEnv>, 413, 'That form was too large', 'Please shorten your answers and try again.'),
});

async function submitForm(c: Context<AppEnv>, funnelSlug: string, pageSlug: string): Promise<Response> {
  // The limit is a middleware; it runs here so custom-domain posts get it too.
  let response: Response | undefined;
  const refused = await formBodyLimit(c, async () => {
    response = await captureForm(c, funnelSlug, pageSlug);
  });
  return refused ?? response!;
}

async function captureForm(c: Context<AppEnv>, funnelSlug: string, pageSlug: string) {
  const { deps } = c.var;
  const page = await findPublishedPage(deps.database.db, funnelSlug, pageSlug);
  if (!page?.pageVersionId || !page.content) return notFoundPage(c, page?.wasPublished ? 410 : 404);
  let body: FormBody;
  try {
    body = await readFormBody(c);
  } catch (err) {
    if (isMalformedBody(err)) return messagePage(c, 400, 'We could not read that form', `${err.message} Go back and submit it again.`);
    throw err;
  }
  const values = formValuesFromBody(body);
  const ipHash = await hashIp(deps.secret, deps.clientIp(c));
  const burst = await edgeLimit(c, 'capture', `${ipHash}:${page.funnelId}`);
  if (!burst.ok) return refuseBurst(c, page, values, burst.retryAfterSeconds);
  const visitor = shouldTrack(c, page.settings).track ? await resolveVisitor(c, page.workspaceId, page.settings, true) : null;
  const result = await captureSubmission(
    requestCaptureContext(c),
    {
      workspaceId: page.workspaceId,
      funnelId: page.funnelId,
      pageId: page.pageId,
      pageSlug: page.pageSlug,
      pageVersionId: page.pageVersionId,
      content: page.content,
    },
    values,
    {
      ipHash,
      honeypot: values[HONEYPOT_FIELD],
      visitor: visitor ? { tracked: true, id: visitor.id } : { tracked: false },
      humanCheck: humanCheckFor(c, page.workspaceId, page.turnstileSiteKey, values[TURNSTILE_RESPONSE_FIELD]),
    },
  );
  // A visitor who had no cookie yet keeps the id their submission was linked to.
  if (result.kind === 'stored' && !result.replay && visitor?.fresh) rememberVisitor(c, visitor.id);
  return respondToCapture(c, page, result);
}

/** Over the edge limit: the form again with the visitor's values and when to retry (a plain message if the post named no form of the page). */
function refuseBurst(c: Context<AppEnv>, page: PublishedPage, values: Record<string, string>, retryAfterSeconds: number) {
  const headers = { 'retry-after': String(retryAfterSeconds) };
  const message = `Too many submissions from your network just now. Nothing was saved; please wait ${retryAfterSeconds} seconds and send the form again.`;
  const blockId = values._block;
  if (!blockId || !page.content?.blocks.some((b) => b.id === blockId)) {
    return messagePage(c, 429, 'Too many attempts', message, headers);
  }
  const kept = { ...values };
  delete kept._token;
  delete kept[TURNSTILE_RESPONSE_FIELD];
  return renderDynamic(c, page, { formState: { blockId, values: kept, errors: {}, message } }, 429, headers);
}

async function respondToCapture(c: Context<AppEnv>, page: PublishedPage, result: CaptureResult) {
  const { secret } = c.var.deps;
  switch (result.kind) {
    case 'dropped':
      // Bots get an ordinary-looking success so they learn nothing; nothing was stored.
      return messagePage(c, 200, 'Thank you!', '');
    case 'rate_limited':
      return messagePage(c, 429, 'Too many attempts', 'Please wait a few minutes and try again.', {
        'retry-after': String(result.retryAfterSeconds),
      });
    case 'bad_request':
      return messagePage(c, 400, 'We could not read that form', result.message);
    case 'human_check_failed': {
      const values = { ...result.values };
      delete values._token;
      delete values[TURNSTILE_RESPONSE_FIELD];
      const unavailable = result.reason === 'unavailable';
      return renderDynamic(
        c,
        page,
        { formState: { blockId: result.block.id, values, errors: {}, message: result.message } },
        unavailable ? 503 : 400,
        unavailable ? { 'retry-after': '5' } : {},
      );
    }
    case 'invalid': {
      const values = { ...result.values };
      delete values._token;
      // No message at all: a no-JS quiz step that only revealed its next questions — not an error.
      const isError = Object.keys(result.errors).length > 0 || result.message !== undefined;
      return renderDynamic(
        c,
        page,
        { formState: { blockId: result.block.id, values, errors: result.errors, ...(result.message ? { message: result.message } : {}) } },
        isError ? 400 : 200,
      );
    }
    case 'stored':
      return c.redirect(await successLocation(c, page, result, secret), 303);
  }
}

async function successLocation(
  c: Context<AppEnv>,
  page: PublishedPage,
  result: Extract<CaptureResult, { kind: 'stored' }>,
  secret: string,
): Promise<string> {
  // Expiries count from the first submission, so a retried post gets the very same redirect.
  const now = result.submittedAt;
  const siblings = await funnelPageRefs(c.var.deps.database.db, page.funnelId);
  const nav = funnelRenderContext(page.funnelSlug, page.pageSlug, siblings);
  const here = nav.pagePath;
  const block = result.block;
  // The fragment lands the visitor on the result (the outcome, the download, the thank-you line)
  // instead of the top of a long page, with or without JavaScript.
  const withResult = async (token: Omit<ResultToken, 'e'>) =>
    `${here}?result=${await signToken(secret, { ...token, e: now + RESULT_TTL_MS })}#${resultDomId(token.b)}`;
  switch (block.type) {
    case 'quiz':
      return withResult({ b: block.id, kind: 'quiz', sc: result.quiz?.score ?? 0, o: result.quiz?.outcome?.id ?? null });
    case 'lead_magnet': {
      const download = await signDownloadToken(secret, result.leadId!, block.assetPath, now);
      return withResult({ b: block.id, kind: 'download', d: download });
    }
    case 'lead_form': {
      // A page of this funnel that is not published (a template's draft) would answer 404 right after
      // the visitor's submission, so it is no target (as a button to it is no link): thank them here instead.
      const target = resolveCtaTarget(block.successTarget ?? { kind: 'next' }, nav);
      return target ?? withResult({ b: block.id, kind: 'done' });
    }
    case 'chat_capture':
      return withResult({ b: block.id, kind: 'done' });
  }
}

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Serves a lead-magnet file to the lead the link was made for, until the link expires. */
async function download(c: Context<AppEnv>) {
  const { deps } = c.var;
  const token = await verifyToken<DownloadToken>(deps.secret, c.req.param('token'));
  if (!token) return notFoundPage(c, 404);
  if (token.e <= deps.clock()) return notFoundPage(c, 410);
  const [lead] = await deps.database.db.select({ id: leads.id, workspaceId: leads.workspaceId }).from(leads).where(eq(leads.id, token.l));
  if (!lead) return notFoundPage(c, 410);
  if (/^https:\/\//.test(token.a)) return c.redirect(token.a, 302);
  // An uploaded file (media library), only of the lead's own workspace; else a file under assets/gated/.
  const asset = token.a.startsWith(MEDIA_REF_PREFIX)
    ? await readLeadMagnetFile(deps.database.db, deps.media, lead.workspaceId, token.a)
    : await deps.assets.get(token.a.replace(/^\/assets\//, ''));
  if (!asset) return notFoundPage(c, 404);
  const name = 'name' in asset && typeof asset.name === 'string' ? asset.name : token.a.split('/').pop()!;
  return c.body(asset.body, 200, {
    'content-type': asset.contentType,
    'content-disposition': attachmentDisposition(name),
    'cache-control': 'private, no-store',
    'x-robots-tag': 'noindex',
  });
}

/** Public assets (images, the islands' files); lead-magnet files under `gated/` only through /d/. */
async function publicAsset(c: Context<AppEnv>) {
  const path = c.req.path.slice('/assets/'.length);
  if (!path || path.startsWith('gated/') || path.split('/').some((part) => part === '..' || part === '')) return notFoundPage(c, 404);
  const asset = await c.var.deps.assets.get(path);
  if (!asset) return notFoundPage(c, 404);
  return c.body(asset.body, 200, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=3600' });
}

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const DOMAIN_TTL_MS = 60_000;
/** Any Host header can be sent, so the memo is bounded: past this many hosts the oldest is forgotten. */
const DOMAIN_MEMO_MAX_HOSTS = 1000;

/**
 * A workspace's own host name mapped to a funnel: `https://offers.example.com/` serves the
 * funnel's first page and `/<page>` its others. Hosts of the app itself skip the lookup; the
 * answer for other hosts is remembered for a minute (per app instance) so page views stay free
 * of extra reads — a changed domain takes effect within that minute.
 */
export function customDomains(): MiddlewareHandler<AppEnv> {
  const domainMemo = new Map<string, { slug: string | null; until: number }>();
  return async (c, next) => {
    const { deps } = c.var;
    // The Host header without its port (cheaper than parsing the whole URL on every request).
    const hostHeader = c.req.header('host');
    const host = (hostHeader ? hostHeader.replace(/:\d+$/, '') : new URL(c.req.url).hostname).toLowerCase();
    if (LOCAL_HOSTS.includes(host) || deps.appHosts?.includes(host)) return next();
    const path = c.req.path;
    const match = /^\/([a-z0-9-]*)$/.exec(path);
    // The tracker's beacon and the embed script are app routes on every host.
    if (!match || path === '/e') return next();
    const now = deps.clock();
    let memo = domainMemo.get(host);
    if (!memo || memo.until < now) {
      memo = { slug: await funnelSlugForDomain(deps.database.db, host), until: now + DOMAIN_TTL_MS };
      domainMemo.delete(host);
      if (domainMemo.size >= DOMAIN_MEMO_MAX_HOSTS) domainMemo.delete(domainMemo.keys().next().value!);
      domainMemo.set(host, memo);
    }
    if (!memo.slug) return next();
    const pageSlug = match[1] ?? '';
    if (c.req.method === 'POST') return submitForm(c, memo.slug, pageSlug);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return showPage(c, memo.slug, pageSlug);
    return next();
  };
}

export const landingRoutes = new Hono<AppEnv>()
  .get('/p/:funnel', (c) => showPage(c, c.req.param('funnel'), ''))
  .get('/p/:funnel/:page', (c) => showPage(c, c.req.param('funnel'), c.req.param('page')))
  .post('/p/:funnel', (c) => submitForm(c, c.req.param('funnel'), ''))
  .post('/p/:funnel/:page', (c) => submitForm(c, c.req.param('funnel'), c.req.param('page')))
  .get('/d/:token', download)
  .get('/assets/*', publicAsset);
