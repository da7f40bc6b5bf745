/**
 * The team's app (pages-ui/app): every `/app` URL answers with the same shell document — the
 * signed-in member, their workspaces and the current one inline as JSON, the hashed module and
 * stylesheet from the build manifest, under a strict CSP with a per-request nonce. The app routes
 * in the browser from there. `/assets/app/*` serves the hashed files (on Cloudflare the asset layer
 * answers these itself; this route is the local server's, and a fallback).
 */
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { APP_ASSETS_PREFIX, IMMUTABLE_CACHE } from '../../app-bundle';
import { WORKSPACE_COOKIE, type AppBootstrap } from '../../contract';
import type { AppEnv } from '../../deps';
import { loadUser } from '../../middleware/auth';
import { listUserWorkspaces } from '../../services/accounts';
import { renderAppDocument } from '../../../pages-ui/admin/app-document';

/**
 * Scripts run only with this response's nonce (and what they load: 'strict-dynamic'); styles,
 * images, fonts and API calls come from this origin. `frame-src 'self'` is for the page editor's
 * live preview; `img-src https:` for images marketers link from their own sites.
 */
export function appContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The app's Settings › Security view, where members set up two-factor authentication. */
export const TWO_FACTOR_SETUP_PATH = '/app/settings/security';

function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** `/login?next=/app/funnels/…`: slashes kept readable, everything else encoded. */
export function signInUrl(next: string): string {
  return `/login?next=${encodeURIComponent(next).replace(/%2F/g, '/')}`;
}

async function shell(c: Context<AppEnv>) {
  const user = c.var.user;
  const url = new URL(c.req.url);
  if (!user) return c.redirect(signInUrl(url.pathname + url.search));
  const { deps } = c.var;
  const [workspaces, manifest] = await Promise.all([listUserWorkspaces(deps.database.db, user.id), deps.appBundle.manifest()]);
  if (!manifest) {
    c.header('cache-control', 'no-store');
    return c.text('The app is not built yet: run `npm run build:app` (npm start and npm run build do).', 503);
  }
  const wanted = c.req.query('workspace') ?? getCookie(c, WORKSPACE_COOKIE);
  const current = workspaces.find((w) => w.id === wanted) ?? workspaces[0];
  // A workspace that requires 2FA opens on the enrolment screen until the member has set it up.
  if (
    current &&
    url.pathname !== TWO_FACTOR_SETUP_PATH &&
    c.var.memberships?.some((m) => m.workspaceId === current.id && m.twoFactorMissing)
  ) {
    return c.redirect(`${TWO_FACTOR_SETUP_PATH}?required=${encodeURIComponent(current.id)}`);
  }
  const bootstrap: AppBootstrap = { user, workspaces, workspaceId: current?.id ?? null };
  const nonce = newNonce();
  const asset = (file: string) => `${APP_ASSETS_PREFIX}${file}`;
  c.header('content-security-policy', appContentSecurityPolicy(nonce));
  // Per-request nonce and the member's data: never stored by a cache.
  c.header('cache-control', 'no-store');
  return c.html(
    renderAppDocument({
      bootstrap,
      nonce,
      entry: asset(manifest.entry),
      preload: manifest.preload.map(asset),
      css: manifest.css.map(asset),
    }),
  );
}

/** A hashed app file; names without a hash do not exist here, so nothing else is ever cached for a year. */
async function appAsset(c: Context<AppEnv>) {
  const path = c.req.path.slice(APP_ASSETS_PREFIX.length);
  if (!/^[\w-]+(\/[\w-]+)*\.(js|css)$/.test(path)) return c.notFound();
  const file = await c.var.deps.appBundle.file(path);
  if (!file) return c.notFound();
  return c.body(file.body, 200, { 'content-type': file.contentType, 'cache-control': IMMUTABLE_CACHE });
}

export const appShellRoutes = new Hono<AppEnv>()
  .get(`${APP_ASSETS_PREFIX}*`, appAsset)
  .use('/app', loadUser)
  .use('/app/*', loadUser)
  .get('/app', shell)
  .get('/app/*', shell);
